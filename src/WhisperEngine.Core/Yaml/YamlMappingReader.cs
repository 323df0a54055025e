using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WhisperEngine.Core.Yaml;

/// <summary>
/// Reads typed fields out of a YAML mapping while collecting every problem with its line and field path,
/// so that one pass over a file reports everything wrong with it.
/// </summary>
public sealed class YamlMappingReader
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    private YamlMappingReader(string file, string path, YamlMappingNode node, List<ValidationProblem> problems)
    {
        File = file;
        Path = path;
        _node = node;
        Problems = problems;
    }

    public string File { get; }

    public string Path { get; }

    public List<ValidationProblem> Problems { get; }

    /// <summary>Parses <paramref name="text"/>; returns null (with problems recorded) when it is not a YAML mapping.</summary>
    public static YamlMappingReader? Parse(string file, string text, List<ValidationProblem> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            problems.Add(new ValidationProblem(file, (int)ex.Start.Line, (int)ex.Start.Column, "", $"invalid YAML: {Clean(message)}"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(new ValidationProblem(file, 1, 1, "", "expected a YAML mapping of fields (key: value)"));
            return null;
        }

        return new YamlMappingReader(file, "", root, problems);
    }

    /// <summary>Records a problem for <paramref name="field"/> at the line of its value (or of this mapping).</summary>
    public void Problem(string field, string message, YamlNode? at = null)
    {
        var mark = at?.Start ?? FindValue(field)?.Start ?? _node.Start;
        Problems.Add(new ValidationProblem(File, (int)mark.Line, (int)mark.Column, Qualify(field), message));
    }

    /// <summary>Reports every key that was never read as unknown, naming the known ones.</summary>
    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var (key, _) in _node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!_seen.Contains(name))
            {
                Problems.Add(new ValidationProblem(File, (int)key.Start.Line, (int)key.Start.Column, Qualify(name),
                    $"unknown field; expected one of: {string.Join(", ", known)}"));
            }
        }
    }

    public YamlNode? FindValue(string field)
    {
        foreach (var (key, value) in _node.Children)
        {
            if (key is YamlScalarNode s && s.Value == field)
            {
                return value;
            }
        }

        return null;
    }

    public string? String(string field, bool required = false, int maxLength = 100_000)
    {
        _seen.Add(field);
        var value = FindValue(field);
        if (value is null || IsNull(value))
        {
            if (required)
            {
                Problem(field, "is required");
            }

            return null;
        }

        if (value is not YamlScalarNode scalar)
        {
            Problem(field, "expected text, found a " + Describe(value), value);
            return null;
        }

        var text = scalar.Value ?? "";
        if (required && string.IsNullOrWhiteSpace(text))
        {
            Problem(field, "must not be empty", value);
            return null;
        }

        if (text.Length > maxLength)
        {
            Problem(field, $"is {text.Length} characters long; the limit is {maxLength}", value);
            return null;
        }

        return text;
    }

    public double? Number(string field, double min, double max)
    {
        _seen.Add(field);
        var value = FindValue(field);
        if (value is null || IsNull(value))
        {
            return null;
        }

        if (value is not YamlScalarNode scalar ||
            !double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            Problem(field, $"expected a number between {Fmt(min)} and {Fmt(max)}", value);
            return null;
        }

        if (number < min || number > max)
        {
            Problem(field, $"{Fmt(number)} is out of range; expected {Fmt(min)} to {Fmt(max)}", value);
            return null;
        }

        return number;
    }

    public int? Integer(string field, int min, int max)
    {
        _seen.Add(field);
        var value = FindValue(field);
        if (value is null || IsNull(value))
        {
            return null;
        }

        if (value is not YamlScalarNode scalar ||
            !int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            Problem(field, $"expected a whole number between {min} and {max}", value);
            return null;
        }

        if (number < min || number > max)
        {
            Problem(field, $"{number} is out of range; expected {min} to {max}", value);
            return null;
        }

        return number;
    }

    public IReadOnlyList<string> StringList(string field)
    {
        _seen.Add(field);
        var value = FindValue(field);
        if (value is null || IsNull(value))
        {
            return [];
        }

        if (value is YamlScalarNode single)
        {
            return string.IsNullOrWhiteSpace(single.Value) ? [] : [single.Value!];
        }

        if (value is not YamlSequenceNode sequence)
        {
            Problem(field, "expected a list of text items", value);
            return [];
        }

        var items = new List<string>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlScalarNode item && !string.IsNullOrWhiteSpace(item.Value))
            {
                items.Add(item.Value!);
            }
            else
            {
                Problems.Add(new ValidationProblem(File, (int)sequence.Children[i].Start.Line, (int)sequence.Children[i].Start.Column,
                    $"{Qualify(field)}[{i}]", "expected a non-empty text item"));
            }
        }

        return items;
    }

    public YamlMappingReader? Mapping(string field)
    {
        _seen.Add(field);
        var value = FindValue(field);
        if (value is null || IsNull(value))
        {
            return null;
        }

        if (value is not YamlMappingNode mapping)
        {
            Problem(field, "expected a mapping of fields (key: value), found a " + Describe(value), value);
            return null;
        }

        return new YamlMappingReader(File, Qualify(field), mapping, Problems);
    }

    public IReadOnlyList<YamlMappingReader> MappingList(string field)
    {
        _seen.Add(field);
        var value = FindValue(field);
        if (value is null || IsNull(value))
        {
            return [];
        }

        if (value is not YamlSequenceNode sequence)
        {
            Problem(field, "expected a list of mappings", value);
            return [];
        }

        var items = new List<YamlMappingReader>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlMappingNode mapping)
            {
                items.Add(new YamlMappingReader(File, $"{Qualify(field)}[{i}]", mapping, Problems));
            }
            else
            {
                Problems.Add(new ValidationProblem(File, (int)sequence.Children[i].Start.Line, (int)sequence.Children[i].Start.Column,
                    $"{Qualify(field)}[{i}]", "expected a mapping of fields"));
            }
        }

        return items;
    }

    private string Qualify(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s && (s.Value is null || s.Value is "" or "~" or "null");

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };

    private static string Fmt(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Clean(string message)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 1, Idx: 20) - (Line: ...): "; the location is reported separately.
        var index = message.LastIndexOf("): ", StringComparison.Ordinal);
        return index >= 0 ? message[(index + 3)..] : message;
    }
}
