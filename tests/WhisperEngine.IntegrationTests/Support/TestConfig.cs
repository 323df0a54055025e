using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.IntegrationTests.Support;

/// <summary>Hermetic configuration: the shipped profiles and characters, no machine environment variables.</summary>
public static class TestConfig
{
    public static string ProfilesDirectory => Path.Combine(AppContext.BaseDirectory, "configs");

    public static string CharactersDirectory => Path.Combine(AppContext.BaseDirectory, "characters");

    public static ConfigLoadRequest Request(string home, Uri? modelUrl, IDictionary<string, string>? settings = null, IDictionary<string, string>? environment = null)
    {
        var overrides = new Dictionary<string, (string Value, string Flag)>
        {
            ["llm.chat.retry_base_delay_ms"] = ("20", "test"),
            ["logging.level"] = ("warning", "test"),
            ["server.urls"] = ("http://127.0.0.1:0", "test"),
            // No warm-up turns (the server profiles run 400 before serve is ready): WarmupTurnsTests covers them.
            ["server.warmup_turns"] = ("0", "test"),
        };
        if (modelUrl is not null)
        {
            overrides["llm.chat.api_url"] = (modelUrl.ToString(), "test");
            overrides["llm.chat.model"] = ("fake-model", "test");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            overrides[key] = (value, "test");
        }

        var env = environment ?? new Dictionary<string, string>();
        return new ConfigLoadRequest
        {
            Home = home,
            Overrides = overrides,
            ProfilesDirectory = ProfilesDirectory,
            BuiltInCharactersDirectory = CharactersDirectory,
            GetEnvironmentVariable = name => env.TryGetValue(name, out var v) ? v : null,
            EnvironmentVariableNames = () => env.Keys,
        };
    }

    public static LoadedConfiguration Load(string home, Uri? modelUrl, IDictionary<string, string>? settings = null) =>
        ConfigurationLoader.Load(Request(home, modelUrl, settings));
}
