using WhisperEngine.Core.Characters;

namespace WhisperEngine.UnitTests.Characters;

public sealed class CharacterDirectoryCatalogTests : IDisposable
{
    private readonly TempDirectory _shipped = new();
    private readonly TempDirectory _user = new();

    public void Dispose()
    {
        _shipped.Dispose();
        _user.Dispose();
    }

    [Fact]
    public void Constructor_ValidDirectories_LoadsYamlAndYmlFilesOrderedById()
    {
        _shipped.Write("b.yaml", Yaml("bob", "Bob"));
        _shipped.Write("a.yml", Yaml("ada", "Ada"));
        _shipped.Write("notes.txt", "not a character");

        var catalog = new CharacterDirectoryCatalog([_shipped.Path]);

        Assert.Equal(["ada", "bob"], catalog.All.Select(c => c.Id));
        Assert.Equal("Ada", catalog.Find("ada")?.Name);
        Assert.Null(catalog.Find("nobody"));
    }

    [Fact]
    public void Constructor_MissingDirectory_IsSkipped()
    {
        _user.Write("ada.yaml", Yaml("ada", "Ada"));

        var catalog = new CharacterDirectoryCatalog([System.IO.Path.Combine(_shipped.Path, "does-not-exist"), _user.Path]);

        Assert.Equal(["ada"], catalog.All.Select(c => c.Id));
    }

    [Fact]
    public void Constructor_SameIdInALaterDirectory_OverridesTheEarlierOne()
    {
        _shipped.Write("ada.yaml", Yaml("ada", "Shipped Ada"));
        _shipped.Write("bob.yaml", Yaml("bob", "Bob"));
        _user.Write("my-ada.yaml", Yaml("ada", "User Ada"));

        var catalog = new CharacterDirectoryCatalog([_shipped.Path, _user.Path]);

        Assert.Equal("User Ada", catalog.Find("ada")?.Name);
        Assert.Equal(["ada", "bob"], catalog.All.Select(c => c.Id));
    }

    [Fact]
    public void Constructor_DuplicateIdWithinOneDirectory_ReportsTheSecondFile()
    {
        _shipped.Write("one.yaml", Yaml("ada", "Ada One"));
        var second = _shipped.Write("two.yaml", Yaml("ada", "Ada Two"));

        var ex = Assert.Throws<CharacterValidationException>(() => new CharacterDirectoryCatalog([_shipped.Path]));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(second, problem.File);
        Assert.Equal("id", problem.Field);
        Assert.Contains("one.yaml", problem.Message, StringComparison.Ordinal);
        Assert.Contains("unique", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SeveralBrokenFiles_ReportsProblemsOfEach()
    {
        var first = _shipped.Write("a.yaml", "id: ada\nname: Ada\n");
        var second = _user.Write("b.yaml", "id: bob\nname: Bob\npersona: Be Bob.\ngeneration:\n  temperature: 9\n");

        var ex = Assert.Throws<CharacterValidationException>(() => new CharacterDirectoryCatalog([_shipped.Path, _user.Path]));

        Assert.Equal([(first, "persona"), (second, "generation.temperature")], ex.Problems.Select(p => (p.File, p.Field)));
        Assert.Contains(second, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_NewValidFile_IsPickedUp()
    {
        _shipped.Write("ada.yaml", Yaml("ada", "Ada"));
        var catalog = new CharacterDirectoryCatalog([_shipped.Path]);

        _shipped.Write("bob.yaml", Yaml("bob", "Bob"));
        catalog.Reload();

        Assert.Equal(["ada", "bob"], catalog.All.Select(c => c.Id));
    }

    [Fact]
    public void Reload_BrokenFile_ThrowsAndKeepsTheOldSet()
    {
        _shipped.Write("ada.yaml", Yaml("ada", "Ada"));
        var catalog = new CharacterDirectoryCatalog([_shipped.Path]);

        _shipped.Write("ada.yaml", Yaml("ada", "Ada Renamed"));
        var broken = _shipped.Write("bob.yaml", "id: bob\nname: Bob\npersona: Be Bob.\npersonality: grumpy\n");
        var ex = Assert.Throws<CharacterValidationException>(catalog.Reload);

        Assert.Equal(broken, Assert.Single(ex.Problems).File);
        Assert.Equal("Ada", catalog.Find("ada")?.Name);
        Assert.Null(catalog.Find("bob"));
        Assert.Equal(["ada"], catalog.All.Select(c => c.Id));
    }

    private static string Yaml(string id, string name) => $"id: {id}\nname: {name}\npersona: You are {name}.\n";
}
