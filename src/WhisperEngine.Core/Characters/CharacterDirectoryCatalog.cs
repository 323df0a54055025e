using WhisperEngine.Core.Yaml;

namespace WhisperEngine.Core.Characters;

/// <summary>
/// Loads every <c>*.yaml</c> / <c>*.yml</c> file of a list of directories. A later directory overrides a character
/// of the same id from an earlier one (user characters override the shipped examples).
/// </summary>
public sealed class CharacterDirectoryCatalog : ICharacterCatalog
{
    private readonly IReadOnlyList<string> _directories;
    private volatile Dictionary<string, Character> _characters = new(StringComparer.Ordinal);

    public CharacterDirectoryCatalog(IReadOnlyList<string> directories)
    {
        _directories = directories;
        Reload();
    }

    public IReadOnlyList<Character> All => [.. _characters.Values.OrderBy(c => c.Id, StringComparer.Ordinal)];

    public IReadOnlyList<string> Directories => _directories;

    public Character? Find(string id) => _characters.GetValueOrDefault(id);

    public void Reload()
    {
        var (characters, problems) = LoadAll(_directories);
        if (problems.Count > 0)
        {
            throw new CharacterValidationException(problems);
        }

        _characters = characters;
    }

    /// <summary>Loads every file, collecting problems instead of stopping at the first.</summary>
    public static (Dictionary<string, Character> Characters, List<ValidationProblem> Problems) LoadAll(IEnumerable<string> directories)
    {
        var characters = new Dictionary<string, Character>(StringComparer.Ordinal);
        var problems = new List<ValidationProblem>();
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            var files = Directory.EnumerateFiles(directory, "*.yaml").Concat(Directory.EnumerateFiles(directory, "*.yml"))
                .Order(StringComparer.Ordinal);
            var idsInThisDirectory = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                try
                {
                    var character = CharacterLoader.LoadFile(file);
                    if (idsInThisDirectory.TryGetValue(character.Id, out var other))
                    {
                        problems.Add(new ValidationProblem(file, 0, 0, "id", $"'{character.Id}' is also the id of {other}; ids must be unique"));
                        continue;
                    }

                    idsInThisDirectory[character.Id] = file;
                    characters[character.Id] = character;
                }
                catch (CharacterValidationException ex)
                {
                    problems.AddRange(ex.Problems);
                }
            }
        }

        return (characters, problems);
    }
}
