using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Yaml;

namespace WhisperEngine.UnitTests.Characters;

public sealed class CharacterLoaderTests
{
    private const string File = "characters/ada.yaml";

    private const string ValidYaml = """
        id: ada
        name: Ada Lovelace
        description: Mathematician and writer.
        persona: |
          You are Ada Lovelace.
          You write about the Analytical Engine.
        speaking_style:
          tone: warm and precise
          traits: [curious, witty]
          guidelines:
            - Answer in at most three sentences.
            - Never use modern slang.
        example_dialogue:
          - user: What is the Engine?
            character: A machine that weaves algebra.
          - user: Do you like poetry?
            character: Poetical science, always.
        models:
          preferred:
            - vendor/large-model
            - vendor/small-model
        generation:
          temperature: 0.7
          top_p: 0.9
          max_tokens: 400
          presence_penalty: 0.1
          frequency_penalty: -0.2
        """;

    [Fact]
    public void Parse_ValidFile_ReadsEveryField()
    {
        var character = CharacterLoader.Parse(File, ValidYaml);

        Assert.Equal("ada", character.Id);
        Assert.Equal("Ada Lovelace", character.Name);
        Assert.Equal("Mathematician and writer.", character.Description);
        Assert.Equal("You are Ada Lovelace.\nYou write about the Analytical Engine.\n", character.Persona);
        Assert.Equal("warm and precise", character.Style.Tone);
        Assert.Equal(["curious", "witty"], character.Style.Traits);
        Assert.Equal(["Answer in at most three sentences.", "Never use modern slang."], character.Style.Guidelines);
        Assert.Equal(
            [new ExampleExchange("What is the Engine?", "A machine that weaves algebra."), new ExampleExchange("Do you like poetry?", "Poetical science, always.")],
            character.ExampleDialogue);
        Assert.Equal(["vendor/large-model", "vendor/small-model"], character.PreferredModels);
        Assert.Equal(new GenerationSettings { Temperature = 0.7, TopP = 0.9, MaxTokens = 400, PresencePenalty = 0.1, FrequencyPenalty = -0.2 }, character.Generation);
        Assert.Equal(File, character.SourcePath);
    }

    [Fact]
    public void Parse_MinimalFile_UsesDefaults()
    {
        var character = CharacterLoader.Parse(File, "id: ada\nname: Ada\npersona: Be Ada.\n");

        Assert.Null(character.Description);
        Assert.Empty(character.ExampleDialogue);
        Assert.Empty(character.PreferredModels);
        Assert.Equal(new GenerationSettings(), character.Generation);
    }

    [Fact]
    public void Parse_MalformedYaml_ReportsTheLine()
    {
        const string yaml = "id: ada\nname: Ada\npersona: Be: Ada\ngeneration:\n  temperature: 0.5\n";

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal(File, problem.File);
        Assert.Equal(3, problem.Line);
        Assert.Equal("", problem.Field);
        Assert.Contains("invalid YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotAMapping_ReportsProblem()
    {
        var problem = Assert.Single(Problems("- just\n- a list\n"));

        Assert.Equal(1, problem.Line);
        Assert.Contains("mapping", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TemperatureOfWrongType_NamesFieldAndLine()
    {
        const string yaml = "id: ada\nname: Ada\npersona: Be Ada.\ngeneration:\n  top_p: 0.5\n  temperature: \"hot\"\n";

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal("generation.temperature", problem.Field);
        Assert.Equal(6, problem.Line);
        Assert.Contains("expected a number between 0 and 2", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'generation.temperature'", problem.ToString(), StringComparison.Ordinal);
        Assert.StartsWith($"{File}:6:", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TemperatureOutOfRange_NamesFieldLineAndRange()
    {
        const string yaml = "id: ada\nname: Ada\npersona: Be Ada.\ngeneration:\n  temperature: 3\n";

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal("generation.temperature", problem.Field);
        Assert.Equal(5, problem.Line);
        Assert.Contains("3 is out of range; expected 0 to 2", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MaxTokensNotAWholeNumber_NamesField()
    {
        const string yaml = "id: ada\nname: Ada\npersona: Be Ada.\ngeneration:\n  max_tokens: 12.5\n";

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal("generation.max_tokens", problem.Field);
        Assert.Equal(5, problem.Line);
    }

    [Fact]
    public void Parse_MissingPersona_ReportsItRequired()
    {
        var problem = Assert.Single(Problems("id: ada\nname: Ada\n"));

        Assert.Equal("persona", problem.Field);
        Assert.Contains("required", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, problem.Line);
    }

    [Fact]
    public void Parse_EmptyPersona_ReportsItMustNotBeEmpty()
    {
        var problem = Assert.Single(Problems("id: ada\nname: Ada\npersona: \"  \"\n"));

        Assert.Equal("persona", problem.Field);
        Assert.Equal(3, problem.Line);
    }

    [Fact]
    public void Parse_UnknownField_IsRejectedNamingFieldAndLine()
    {
        const string yaml = "id: ada\nname: Ada\npersona: Be Ada.\npersonality: cheerful\n";

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal("personality", problem.Field);
        Assert.Equal(4, problem.Line);
        Assert.Contains("unknown field", problem.Message, StringComparison.Ordinal);
        Assert.Contains("persona", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownNestedField_IsRejectedWithItsPath()
    {
        const string yaml = "id: ada\nname: Ada\npersona: Be Ada.\ngeneration:\n  temprature: 0.5\n";

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal("generation.temprature", problem.Field);
        Assert.Equal(5, problem.Line);
    }

    [Theory]
    [InlineData("Ada")]
    [InlineData("ada lovelace")]
    [InlineData("-ada")]
    [InlineData("ada/../../etc")]
    public void Parse_InvalidId_NamesTheIdField(string id)
    {
        var problem = Assert.Single(Problems($"name: Ada\nid: \"{id}\"\npersona: Be Ada.\n"));

        Assert.Equal("id", problem.Field);
        Assert.Equal(2, problem.Line);
        Assert.Contains("not a valid id", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ada")]
    [InlineData("ada-2")]
    [InlineData("0_bot")]
    public void Parse_ValidId_IsAccepted(string id)
    {
        var character = CharacterLoader.Parse(File, $"id: \"{id}\"\nname: Ada\npersona: Be Ada.\n");

        Assert.Equal(id, character.Id);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllOfThemInOnePass()
    {
        const string yaml = "id: ada\npersona: Be Ada.\ngeneration:\n  temperature: 3\n  top_p: high\nmood: grumpy\n";

        var problems = Problems(yaml);

        Assert.Equal(
            [("name", 1), ("generation.temperature", 4), ("generation.top_p", 5), ("mood", 6)],
            problems.Select(p => (p.Field, p.Line)).OrderBy(p => p.Line));
    }

    [Fact]
    public void Parse_ExampleWithoutAnswer_NamesTheIndexedField()
    {
        const string yaml = "id: ada\nname: Ada\npersona: Be Ada.\nexample_dialogue:\n  - user: hi\n    character: hello\n  - user: bye\n";

        var problem = Assert.Single(Problems(yaml));

        Assert.Equal("example_dialogue[1].character", problem.Field);
        Assert.Equal(7, problem.Line);
    }

    [Fact]
    public void LoadFile_MissingFile_ReportsItCannotBeRead()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml");

        var ex = Assert.Throws<CharacterValidationException>(() => CharacterLoader.LoadFile(path));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(path, problem.File);
        Assert.Contains("cannot read", problem.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<ValidationProblem> Problems(string yaml)
    {
        var ex = Assert.Throws<CharacterValidationException>(() => CharacterLoader.Parse(File, yaml));
        Assert.All(ex.Problems, p => Assert.Equal(File, p.File));
        return ex.Problems;
    }
}
