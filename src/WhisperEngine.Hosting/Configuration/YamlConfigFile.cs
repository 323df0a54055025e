using WhisperEngine.Core.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WhisperEngine.Hosting.Configuration;

/// <summary>Reads a YAML settings file into a flat layer of dotted keys, each value tagged with file and line.</summary>
public static class YamlConfigFile
{
    public static ConfigLayer Load(string path, string displayName, List<ValidationProblem> problems)
    {
        var layer = new ConfigLayer(displayName);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new ValidationProblem(displayName, 0, 0, "", $"cannot read the file: {ex.Message}"));
            return layer;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
            problems.Add(new ValidationProblem(displayName, (int)ex.Start.Line, (int)ex.Start.Column, "",
                "invalid YAML: " + (cut >= 0 ? message[(cut + 3)..] : message)));
            return layer;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return layer;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(new ValidationProblem(displayName, 1, 1, "", "expected a mapping of settings (key: value)"));
            return layer;
        }

        Flatten(root, "", layer, displayName, problems);
        return layer;
    }

    private static void Flatten(YamlMappingNode node, string prefix, ConfigLayer layer, string file, List<ValidationProblem> problems)
    {
        foreach (var (keyNode, value) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                problems.Add(new ValidationProblem(file, (int)keyNode.Start.Line, (int)keyNode.Start.Column, prefix, "setting names must be plain text"));
                continue;
            }

            var key = prefix.Length == 0 ? name : $"{prefix}.{name}";
            var source = $"{file}:{value.Start.Line}";
            switch (value)
            {
                case YamlMappingNode mapping:
                    Flatten(mapping, key, layer, file, problems);
                    break;
                case YamlSequenceNode sequence when sequence.Children.Count > 0 && sequence.Children.All(c => c is YamlMappingNode):
                    // A list of records (bots): each becomes key.<index>.<field>.
                    for (var i = 0; i < sequence.Children.Count; i++)
                    {
                        Flatten((YamlMappingNode)sequence.Children[i], $"{key}.{i}", layer, file, problems);
                    }

                    break;
                case YamlSequenceNode sequence:
                    var items = new List<string>();
                    foreach (var item in sequence.Children)
                    {
                        if (item is YamlScalarNode { Value: { } itemText })
                        {
                            items.Add(itemText);
                        }
                        else
                        {
                            problems.Add(new ValidationProblem(file, (int)item.Start.Line, (int)item.Start.Column, key, "expected a list of plain values"));
                        }
                    }

                    layer.Values[key] = new ConfigValue(null, items, source);
                    break;
                case YamlScalarNode scalar:
                    var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null";
                    layer.Values[key] = new ConfigValue(isNull ? null : scalar.Value, null, source);
                    break;
            }
        }
    }
}
