using System.CommandLine;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Cli;

/// <summary>Options every command takes.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Home { get; } = new("--home")
    {
        Description = "Directory of all data (default: $WHISPERENGINE_HOME, else ~/.whisperengine)",
        Recursive = true,
        HelpName = "dir",
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "Settings file (default: <home>/config.yaml when it exists)",
        Recursive = true,
        HelpName = "file",
    };

    public Option<string?> Tier { get; } = new("--tier")
    {
        Description = "Force a tier profile: desktop, multi-bot, cloud, enterprise (default: detected)",
        Recursive = true,
        HelpName = "tier",
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Override a setting: --set engine.max_prompt_tokens=4000 (repeatable)",
        Recursive = true,
        HelpName = "key=value",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Home);
        root.Options.Add(Config);
        root.Options.Add(Tier);
        root.Options.Add(Set);
    }

    /// <summary>Builds the load request from the parsed flags, with extra overrides from command options.</summary>
    public ConfigLoadRequest Request(ParseResult result, Dictionary<string, (string Value, string Flag)>? extra = null)
    {
        var overrides = new Dictionary<string, (string Value, string Flag)>(StringComparer.Ordinal);
        foreach (var pair in result.GetValue(Set) ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ConfigurationException([new Core.Yaml.ValidationProblem("--set", 0, 0, pair, "expected key=value, e.g. --set logging.level=debug")]);
            }

            overrides[pair[..eq].Trim()] = (pair[(eq + 1)..].Trim(), $"--set {pair[..eq].Trim()}");
        }

        foreach (var (key, value) in extra ?? [])
        {
            overrides[key] = value;
        }

        return new ConfigLoadRequest
        {
            Home = result.GetValue(Home),
            ConfigFile = result.GetValue(Config),
            Tier = result.GetValue(Tier),
            Overrides = overrides,
        };
    }
}
