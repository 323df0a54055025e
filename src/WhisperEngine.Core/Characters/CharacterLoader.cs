using System.Text.RegularExpressions;
using WhisperEngine.Core.Yaml;

namespace WhisperEngine.Core.Characters;

/// <summary>Parses and validates character YAML files.</summary>
public static partial class CharacterLoader
{
    private static readonly string[] KnownFields =
        ["id", "name", "description", "persona", "speaking_style", "example_dialogue", "models", "generation"];

    /// <summary>Loads one file; throws <see cref="CharacterValidationException"/> listing every problem found.</summary>
    public static Character LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CharacterValidationException([new ValidationProblem(path, 0, 0, "", $"cannot read the file: {ex.Message}")]);
        }

        return Parse(path, text);
    }

    /// <summary>Parses <paramref name="text"/> as the character file <paramref name="file"/>.</summary>
    public static Character Parse(string file, string text)
    {
        var problems = new List<ValidationProblem>();
        var character = TryParse(file, text, problems);
        if (character is null || problems.Count > 0)
        {
            throw new CharacterValidationException(problems);
        }

        return character;
    }

    private static Character? TryParse(string file, string text, List<ValidationProblem> problems)
    {
        var root = YamlMappingReader.Parse(file, text, problems);
        if (root is null)
        {
            return null;
        }

        var id = root.String("id", required: true, maxLength: 64);
        if (id is not null && !IdPattern().IsMatch(id))
        {
            root.Problem("id", $"'{id}' is not a valid id; use lowercase letters, digits, '-' or '_' (it names the character in the API)");
        }

        var name = root.String("name", required: true, maxLength: 100);
        var description = root.String("description", maxLength: 2_000);
        var persona = root.String("persona", required: true, maxLength: 40_000);

        var style = new SpeakingStyle();
        if (root.Mapping("speaking_style") is { } styleReader)
        {
            style = new SpeakingStyle
            {
                Tone = styleReader.String("tone", maxLength: 500),
                Traits = styleReader.StringList("traits"),
                Guidelines = styleReader.StringList("guidelines"),
            };
            styleReader.RejectUnknown(["tone", "traits", "guidelines"]);
        }

        var examples = new List<ExampleExchange>();
        foreach (var exampleReader in root.MappingList("example_dialogue"))
        {
            var user = exampleReader.String("user", required: true, maxLength: 4_000);
            var answer = exampleReader.String("character", required: true, maxLength: 4_000);
            exampleReader.RejectUnknown(["user", "character"]);
            if (user is not null && answer is not null)
            {
                examples.Add(new ExampleExchange(user, answer));
            }
        }

        IReadOnlyList<string> models = [];
        if (root.Mapping("models") is { } modelsReader)
        {
            models = modelsReader.StringList("preferred");
            modelsReader.RejectUnknown(["preferred"]);
        }

        var generation = new GenerationSettings();
        if (root.Mapping("generation") is { } genReader)
        {
            generation = new GenerationSettings
            {
                Temperature = genReader.Number("temperature", 0, 2),
                TopP = genReader.Number("top_p", 0, 1),
                MaxTokens = genReader.Integer("max_tokens", 1, 32_000),
                PresencePenalty = genReader.Number("presence_penalty", -2, 2),
                FrequencyPenalty = genReader.Number("frequency_penalty", -2, 2),
            };
            genReader.RejectUnknown(["temperature", "top_p", "max_tokens", "presence_penalty", "frequency_penalty"]);
        }

        root.RejectUnknown(KnownFields);
        if (id is null || name is null || persona is null)
        {
            return null;
        }

        return new Character
        {
            Id = id,
            Name = name,
            Description = description,
            Persona = persona,
            Style = style,
            ExampleDialogue = examples,
            PreferredModels = models,
            Generation = generation,
            SourcePath = file,
        };
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();
}
