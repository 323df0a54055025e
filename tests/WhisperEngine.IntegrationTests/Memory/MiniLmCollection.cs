namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>The tests that share one loaded MiniLM model.</summary>
[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM";
}
