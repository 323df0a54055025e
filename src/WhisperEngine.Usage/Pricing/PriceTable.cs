using System.Globalization;
using WhisperEngine.Core.Usage;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WhisperEngine.Usage.Pricing;

/// <summary>
/// Prices per model in US dollars per million tokens: the YAML table shipped as <c>configs/prices.yaml</c>, or a table
/// imported from OpenRouter's models list (<c>GET /api/v1/models</c>). Used where a call's cost was not reported.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed partial class PriceTable
{
    private readonly Dictionary<string, ModelPrice> _prices;
    private readonly Dictionary<string, ModelPrice?> _byBareName;

    public PriceTable(IReadOnlyDictionary<string, ModelPrice> prices, string? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(prices);
        _prices = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
        AsOf = asOf;
        // "gpt-4o" finds "openai/gpt-4o" when that bare name is not ambiguous (null marks two different prices).
        _byBareName = new Dictionary<string, ModelPrice?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in _prices)
        {
            var bare = Bare(model);
            _byBareName[bare] = _byBareName.TryGetValue(bare, out var seen) && seen != price ? null : price;
        }
    }

    public static PriceTable Empty { get; } = new(new Dictionary<string, ModelPrice>());

    /// <summary>Every model and its price.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices => _prices;

    /// <summary>When the prices were checked, as the file says.</summary>
    public string? AsOf { get; }

    /// <summary>Finds the price of <paramref name="model"/>: exact id, else the same model without or with a vendor prefix.</summary>
    public bool TryGetPrice(string model, out ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_prices.TryGetValue(model, out price!))
        {
            return true;
        }

        if (_byBareName.TryGetValue(Bare(model), out var found) && found is not null)
        {
            price = found;
            return true;
        }

        price = null!;
        return false;
    }

    /// <summary>This table with <paramref name="overrides"/> taking precedence.</summary>
    public PriceTable With(PriceTable overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = new Dictionary<string, ModelPrice>(_prices, StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in overrides._prices)
        {
            merged[model] = price;
        }

        return new PriceTable(merged, overrides.AsOf ?? AsOf);
    }

    /// <summary>Loads a YAML price table, or an OpenRouter models list when the file holds JSON.</summary>
    public static PriceTable Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UsageDataException(path, 0, "price table not found");
        }

        var text = File.ReadAllText(path);
        return text.TrimStart().StartsWith('{') ? ImportOpenRouterModels(text, path) : ParseYaml(text, path);
    }

    /// <summary>
    /// Parses the YAML form: <c>models:</c> mapping each model id to <c>{ prompt: 2.50, completion: 10.00 }</c> in US dollars
    /// per million tokens, and an optional <c>as_of:</c> date.
    /// </summary>
    public static PriceTable ParseYaml(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new UsageDataException(source, (int)ex.Start.Line, "invalid YAML: " + (ex.InnerException?.Message ?? ex.Message), ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new UsageDataException(source, 1, "expected a mapping with 'models:' (model id: { prompt: ..., completion: ... })");
        }

        string? asOf = null;
        var prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            switch ((keyNode as YamlScalarNode)?.Value)
            {
                case "as_of":
                    asOf = (valueNode as YamlScalarNode)?.Value;
                    break;
                case "models" when valueNode is YamlMappingNode models:
                    foreach (var (modelNode, priceNode) in models.Children)
                    {
                        var model = (modelNode as YamlScalarNode)?.Value ?? "";
                        prices[model] = ParsePrice(model, priceNode, source);
                    }

                    break;
                default:
                    throw new UsageDataException(source, (int)keyNode.Start.Line,
                        $"unexpected '{keyNode}'; expected 'as_of:' and 'models:' (a mapping of model ids)");
            }
        }

        return new PriceTable(prices, asOf);
    }

    private static ModelPrice ParsePrice(string model, YamlNode node, string source)
    {
        decimal? prompt = null, completion = null;
        if (node is YamlMappingNode mapping)
        {
            foreach (var (key, value) in mapping.Children)
            {
                var parsed = decimal.TryParse((value as YamlScalarNode)?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : (decimal?)null;
                switch ((key as YamlScalarNode)?.Value)
                {
                    case "prompt":
                        prompt = parsed ?? throw Bad(value);
                        break;
                    case "completion":
                        completion = parsed ?? throw Bad(value);
                        break;
                    default:
                        throw new UsageDataException(source, (int)key.Start.Line, $"models.{model}: unexpected '{key}'; expected prompt and completion");
                }
            }
        }

        return prompt is { } p && completion is { } c
            ? new ModelPrice(p, c)
            : throw new UsageDataException(source, (int)node.Start.Line,
                $"models.{model}: expected {{ prompt: <dollars per million tokens>, completion: <dollars per million tokens> }}");

        UsageDataException Bad(YamlNode value) =>
            new(source, (int)value.Start.Line, $"models.{model}: '{value}' is not a price in US dollars per million tokens (a number >= 0)");
    }

    private static string Bare(string model) => model[(model.LastIndexOf('/') + 1)..];
}
