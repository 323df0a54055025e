using System.Globalization;
using WhisperEngine.Core.Yaml;
using WhisperEngine.Hosting.Detection;

namespace WhisperEngine.Hosting.Configuration;

/// <summary>
/// Loads settings in layers, later ones winning: built-in defaults, the tier profile
/// (<c>configs/&lt;tier&gt;.yaml</c>), the user's file, environment variables (WhisperEngine v1 names and
/// <c>WHISPERENGINE_SECTION__KEY</c>), then flags. Every value is validated; all problems are reported at once.
/// </summary>
public static partial class ConfigurationLoader
{
    private const string EnvPrefix = "WHISPERENGINE_";
    private static readonly HashSet<string> ReservedEnvironment = ["WHISPERENGINE_HOME", "WHISPERENGINE_CONFIG"];

    /// <summary>Loads and validates; throws <see cref="ConfigurationException"/> listing every problem.</summary>
    public static LoadedConfiguration Load(ConfigLoadRequest request)
    {
        var problems = new List<ValidationProblem>();
        var home = ResolveHome(request);

        var configFile = request.ConfigFile ?? NonEmpty(request.GetEnvironmentVariable("WHISPERENGINE_CONFIG"));
        ConfigLayer? fileLayer = null;
        if (configFile is not null)
        {
            configFile = Path.GetFullPath(ExpandHome(configFile));
            if (!File.Exists(configFile))
            {
                problems.Add(new ValidationProblem(configFile, 0, 0, "", "the config file does not exist"));
                configFile = null;
            }
        }
        else if (File.Exists(Path.Combine(home, "config.yaml")))
        {
            configFile = Path.Combine(home, "config.yaml");
        }

        if (configFile is not null)
        {
            fileLayer = YamlConfigFile.Load(configFile, configFile, problems);
        }

        var envLayer = EnvironmentLayer(request, problems);
        var flagLayer = new ConfigLayer("flags");
        foreach (var (key, (value, flag)) in request.Overrides)
        {
            flagLayer.Values[key] = new ConfigValue(value, null, flag);
        }

        if (request.Tier is not null)
        {
            flagLayer.Values["tier"] = new ConfigValue(request.Tier, null, "--tier");
        }

        var environment = (request.DetectEnvironment ?? DetectDefault)(home);
        var (tier, tierReason) = ChooseTier([fileLayer, envLayer, flagLayer], environment, problems);

        var profileFile = Path.Combine(request.ProfilesDirectory, tier + ".yaml");
        ConfigLayer? profileLayer = null;
        if (File.Exists(profileFile))
        {
            profileLayer = YamlConfigFile.Load(profileFile, Path.Combine("configs", tier + ".yaml"), problems);
        }
        else
        {
            problems.Add(new ValidationProblem(profileFile, 0, 0, "tier", $"the profile of tier '{tier}' is missing; the installation is incomplete"));
        }

        var defaults = new ConfigLayer("default");
        foreach (var definition in SettingsSchema.All)
        {
            if (definition.Default is not null)
            {
                defaults.Values[definition.Key] = new ConfigValue(definition.Default, null, "default");
            }
        }

        ConfigLayer[] layers = [.. new[] { defaults, profileLayer, fileLayer, envLayer, flagLayer }.OfType<ConfigLayer>()];
        foreach (var layer in layers)
        {
            foreach (var (key, value) in layer.Values)
            {
                if (!SettingsSchema.IsKnown(key))
                {
                    var hint = SettingsSchema.Suggest(key) is { } suggestion ? $"; did you mean '{suggestion}'?" : "";
                    problems.Add(Problem(value.Source, key, "unknown setting" + hint));
                }
            }
        }

        var plan = ResourcePlan.FromEnvironment(environment);
        var resolved = new SettingsResolver(layers, environment, plan, problems);
        resolved.Set("tier", tier, tierReason);
        var values = resolved.Build(home, request.BuiltInCharactersDirectory);
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return new LoadedConfiguration
        {
            Home = home,
            ConfigFile = configFile,
            Tier = tier,
            TierReason = tierReason,
            ProfileFile = profileFile,
            Environment = environment,
            Plan = plan,
            Settings = resolved.Effective(),
            Values = values!,
        };
    }

    /// <summary>The home directory: <c>--home</c>, <c>WHISPERENGINE_HOME</c>, else <c>~/.whisperengine</c>.</summary>
    public static string ResolveHome(ConfigLoadRequest request)
    {
        var home = request.Home ?? NonEmpty(request.GetEnvironmentVariable("WHISPERENGINE_HOME"))
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".whisperengine");
        return Path.GetFullPath(ExpandHome(home));
    }

    public static ValidationProblem Problem(string source, string key, string message)
    {
        // Sources look like "path/file.yaml:12", "environment LLM_CHAT_MODEL", "--urls" or "default".
        var colon = source.LastIndexOf(':');
        if (colon > 0 && int.TryParse(source.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var line))
        {
            return new ValidationProblem(source[..colon], line, 1, key, message);
        }

        return new ValidationProblem(source, 0, 0, key, message);
    }

    private static DetectedEnvironment DetectDefault(string home) =>
        new EnvironmentDetector(new EnvironmentDetectorOptions { DataDirectory = home }).Detect();

    private static ConfigLayer EnvironmentLayer(ConfigLoadRequest request, List<ValidationProblem> problems)
    {
        var layer = new ConfigLayer("environment");
        foreach (var definition in SettingsSchema.All)
        {
            foreach (var legacy in definition.LegacyEnvironment)
            {
                if (NonEmpty(request.GetEnvironmentVariable(legacy)) is { } value)
                {
                    layer.Values[definition.Key] = Parse(definition, value, $"environment {legacy}");
                }
            }
        }

        foreach (var name in request.EnvironmentVariableNames().Order(StringComparer.Ordinal))
        {
            if (!name.StartsWith(EnvPrefix, StringComparison.Ordinal) || ReservedEnvironment.Contains(name) ||
                SettingsSchema.All.Any(d => d.LegacyEnvironment.Contains(name)))
            {
                continue;
            }

            if (NonEmpty(request.GetEnvironmentVariable(name)) is not { } value)
            {
                continue;
            }

            var key = name[EnvPrefix.Length..].ToLowerInvariant().Replace("__", ".", StringComparison.Ordinal);
            var definition = SettingsSchema.Find(key);
            if (definition is null && !name.Contains("__", StringComparison.Ordinal))
            {
                // Settings are SECTION__KEY; other WHISPERENGINE_* names belong to scripts and tools, not to us.
                continue;
            }

            if (definition is null && !SettingsSchema.IsKnown(key))
            {
                var hint = SettingsSchema.Suggest(key) is { } s ? $"; did you mean {SettingsSchema.Find(s)!.EnvironmentName}?" : "";
                problems.Add(new ValidationProblem($"environment {name}", 0, 0, key, "unknown setting" + hint));
                continue;
            }

            layer.Values[key] = definition is null ? new ConfigValue(value, null, $"environment {name}") : Parse(definition, value, $"environment {name}");
        }

        return layer;
    }

    private static ConfigValue Parse(SettingDefinition definition, string value, string source) =>
        definition.Kind == SettingKind.List
            ? new ConfigValue(null, [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], source)
            : new ConfigValue(value, null, source);

    private static (string Tier, string Reason) ChooseTier(ConfigLayer?[] userLayers, DetectedEnvironment environment, List<ValidationProblem> problems)
    {
        for (var i = userLayers.Length - 1; i >= 0; i--)
        {
            if (userLayers[i]?.Values.GetValueOrDefault("tier") is { Text: { } forced } value && forced != "auto")
            {
                if (!SettingsSchema.Tiers.Contains(forced))
                {
                    problems.Add(Problem(value.Source, "tier", $"'{forced}' is not a tier; expected one of: {string.Join(", ", SettingsSchema.Tiers)}"));
                    return ("desktop", "fallback after an invalid tier");
                }

                return (forced, $"forced by {value.Source}");
            }
        }

        string? Setting(string key) => userLayers.Reverse().Select(l => l?.Values.GetValueOrDefault(key)?.Text).FirstOrDefault(v => v is not null);

        var botCount = userLayers.Where(l => l is not null).SelectMany(l => l!.Values.Keys)
            .Where(k => k.StartsWith("bots.", StringComparison.Ordinal) && k.EndsWith(".id", StringComparison.Ordinal)).Distinct().Count();
        if (environment.IsKubernetes)
        {
            return ("cloud", "detected Kubernetes (KUBERNETES_SERVICE_HOST is set)");
        }

        if (botCount > 1)
        {
            return ("multi-bot", $"{botCount} bots are configured");
        }

        if (Setting("storage.provider") == "postgres")
        {
            return ("multi-bot", "storage.provider is postgres");
        }

        if (Setting("storage.postgres.host") is not null || Setting("storage.postgres.connection_string") is not null)
        {
            return ("multi-bot", "a PostgreSQL server is configured (POSTGRES_HOST or storage.postgres.*)");
        }

        return environment.IsContainer
            ? ("desktop", "detected a container without PostgreSQL settings; one bot on SQLite")
            : ("desktop", "detected a desktop or server without container markers");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile) + path[1..]
            : path;
}
