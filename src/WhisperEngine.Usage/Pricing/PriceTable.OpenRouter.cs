using System.Globalization;
using System.Text.Json;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.Usage.Pricing;

/// <summary>Import of OpenRouter's models list.</summary>
public sealed partial class PriceTable
{
    /// <summary>
    /// Imports OpenRouter's models list (<c>{"data":[{"id":"openai/gpt-4o","pricing":{"prompt":"0.0000025","completion":"0.00001"}}]}</c>,
    /// per-token prices as strings). Models without a usable price (routers report -1) are left out.
    /// </summary>
    public static PriceTable ImportOpenRouterModels(string json, string source = "models.json")
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new UsageDataException(source, 0, "not an OpenRouter models list: expected an object with a 'data' array");
            }

            var prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
            foreach (var model in data.EnumerateArray())
            {
                if (model.ValueKind == JsonValueKind.Object &&
                    model.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String &&
                    model.TryGetProperty("pricing", out var pricing) && pricing.ValueKind == JsonValueKind.Object &&
                    PerToken(pricing, "prompt") is { } prompt && PerToken(pricing, "completion") is { } completion)
                {
                    prices[id.GetString()!] = new ModelPrice(prompt * 1_000_000m, completion * 1_000_000m);
                }
            }

            return new PriceTable(prices);
        }
        catch (JsonException ex)
        {
            throw new UsageDataException(source, (int)(ex.LineNumber ?? -1) + 1, "invalid JSON: " + ex.Message, ex);
        }
    }

    private static decimal? PerToken(JsonElement pricing, string name)
    {
        if (!pricing.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var perToken) && perToken >= 0 ? perToken : null;
    }
}
