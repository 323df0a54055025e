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

    /// <param name="configuration">The engine's configuration.</param>
    /// <param name="configure">Registrations made before the engine's (e.g. a shared embedding generator, which the engine then keeps).</param>
    public EngineHost(LoadedConfiguration configuration, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        configure?.Invoke(services);
        services.AddWhisperEngine(configuration);
        _services = services.BuildServiceProvider();
    }

    public TurnPipeline Pipeline => _services.GetRequiredService<TurnPipeline>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
