using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Turns;
using WhisperEngine.Hosting;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.IntegrationTests.Support;

/// <summary>The engine wired as the CLI wires it, without HTTP.</summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public EngineHost(LoadedConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddWhisperEngine(configuration);
        _services = services.BuildServiceProvider();
    }

    public TurnPipeline Pipeline => _services.GetRequiredService<TurnPipeline>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
