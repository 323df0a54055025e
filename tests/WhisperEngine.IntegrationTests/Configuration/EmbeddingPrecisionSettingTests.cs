using WhisperEngine.AI.Embeddings;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Hosting.Detection;
using WhisperEngine.IntegrationTests.Support;

namespace WhisperEngine.IntegrationTests.Configuration;

/// <summary><c>ai.embeddings.precision</c>: read from the layers, validated with the file and line of a bad value.</summary>
public sealed class EmbeddingPrecisionSettingTests : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    private LoadedConfiguration Load(Dictionary<string, string>? env = null) => ConfigurationLoader.Load(new ConfigLoadRequest
    {
        Home = _home.Path,
        ProfilesDirectory = TestConfig.ProfilesDirectory,
        BuiltInCharactersDirectory = TestConfig.CharactersDirectory,
        GetEnvironmentVariable = n => env?.GetValueOrDefault(n),
        EnvironmentVariableNames = () => env?.Keys.ToList() ?? [],
        DetectEnvironment = _ => new DetectedEnvironment { Kind = DeploymentKind.Desktop, HostCpuCount = 2, EffectiveCpus = 2, HostMemoryBytes = 8L << 30, EffectiveMemoryBytes = 8L << 30 },
    });

    [Fact]
    public void Load_NoPrecisionSet_TheEnginesDefault()
    {
        var c = Load();

        Assert.Equal(MiniLmEmbeddingGenerator.DefaultPrecision, c.Values.Embeddings.Precision);
        Assert.Equal("int8", c.Settings.Single(s => s.Key == "ai.embeddings.precision").Display);
    }

    [Fact]
    public void Load_Float32InTheFileOrInt8FromTheEnvironment_Read()
    {
        _home.Write("config.yaml", "ai:\n  embeddings:\n    precision: Float32\n");
        Assert.Equal(EmbeddingPrecision.Float32, Load().Values.Embeddings.Precision);

        var c = Load(new() { ["WHISPERENGINE_AI__EMBEDDINGS__PRECISION"] = "int8" });
        Assert.Equal(EmbeddingPrecision.Int8, c.Values.Embeddings.Precision);
    }

    [Fact]
    public void Load_UnknownPrecision_IsAProblemNamingTheSettingAndLine()
    {
        _home.Write("config.yaml", "storage:\n  provider: sqlite\nai:\n  embeddings:\n    precision: int4\n");

        var ex = Assert.Throws<ConfigurationException>(() => Load());

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("ai.embeddings.precision", 5), (problem.Field, problem.Line));
        Assert.Contains("'int4' is not one of: int8, float32", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PrecisionWithTheOpenAiProvider_IsAProblem()
    {
        _home.Write("config.yaml", "ai:\n  embeddings:\n    provider: openai\n    api_url: http://127.0.0.1:9/v1\n    precision: float32\n");

        var ex = Assert.Throws<ConfigurationException>(() => Load());

        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("ai.embeddings.precision", 5), (problem.Field, problem.Line));
        Assert.Contains("only the local model", problem.Message, StringComparison.Ordinal);
    }
}
