using System.CommandLine;
using Spectre.Console;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Yaml;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine characters list|validate</c>.</summary>
internal static class CharactersCommand
{
    public static Command Create(GlobalOptions global)
    {
        var list = new Command("list", "List the characters this installation can speak as, and the file each comes from.");
        list.SetAction((result, _) => CliApp.Guard(() =>
        {
            var configuration = ConfigurationLoader.Load(global.Request(result));
            var catalog = new CharacterDirectoryCatalog(configuration.Values.CharacterDirectories);
            var table = new Table().Border(TableBorder.Rounded).AddColumn("id").AddColumn("name").AddColumn("preferred models").AddColumn("file");
            foreach (var c in catalog.All)
            {
                table.AddRow(Markup.Escape(c.Id), Markup.Escape(c.Name),
                    Markup.Escape(c.PreferredModels.Count > 0 ? string.Join(", ", c.PreferredModels) : "(configured model)"),
                    Markup.Escape(c.SourcePath ?? ""));
            }

            AnsiConsole.Write(table);
            return Task.FromResult(ExitCodes.Ok);
        }));

        var paths = new Argument<string[]>("paths") { Description = "Files or directories to check (default: every configured character directory)", Arity = ArgumentArity.ZeroOrMore };
        var validate = new Command("validate", "Check character files; every problem is reported with file, line and field.") { paths };
        validate.SetAction((result, _) => CliApp.Guard(() =>
        {
            var given = result.GetValue(paths) ?? [];
            IEnumerable<string> targets = given.Length > 0
                ? given
                : ConfigurationLoader.Load(global.Request(result)).Values.CharacterDirectories.Where(Directory.Exists);
            var problems = new List<ValidationProblem>();
            var valid = 0;
            foreach (var target in targets)
            {
                var files = Directory.Exists(target)
                    ? Directory.EnumerateFiles(target, "*.yaml").Concat(Directory.EnumerateFiles(target, "*.yml")).Order(StringComparer.Ordinal)
                    : (IEnumerable<string>)[target];
                foreach (var file in files)
                {
                    try
                    {
                        var character = CharacterLoader.LoadFile(file);
                        Console.Out.WriteLine($"ok     {file} ({character.Id}: {character.Name})");
                        valid++;
                    }
                    catch (CharacterValidationException ex)
                    {
                        Console.Out.WriteLine($"error  {file}");
                        problems.AddRange(ex.Problems);
                    }
                }
            }

            if (problems.Count > 0)
            {
                throw new CharacterValidationException(problems);
            }

            Console.Out.WriteLine($"{valid} character file(s) valid.");
            return Task.FromResult(ExitCodes.Ok);
        }));

        return new Command("characters", "Manage character files.") { list, validate };
    }
}
