using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Background;
using WhisperEngine.Core.Turns;
using WhisperEngine.Hosting;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.IntegrationTests.Support;

/// <summary>The engine wired as the CLI wires it, without HTTP, with its hosted services (background workers) running.</summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly IHost _host;

    /// <summary>Builds and starts the engine.</summary>
    /// <param name="configuration">The engine's configuration.</param>
    /// <param name="configure">Registrations made before the engine's (e.g. a shared embedding generator, which the engine then keeps).</param>
    /// <param name="replace">Registrations made after the engine's, replacing them (e.g. a clock).</param>
    public EngineHost(LoadedConfiguration configuration, Action<IServiceCollection>? configure = null, Action<IServiceCollection>? replace = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        configure?.Invoke(builder.Services);
        builder.Services.AddWhisperEngine(configuration);
        replace?.Invoke(builder.Services);
        _host = builder.Build();
        _host.Start();
    }

    /// <summary>Builds and starts the engine (see the constructor).</summary>
    public static Task<EngineHost> StartAsync(LoadedConfiguration configuration, Action<IServiceCollection>? configure = null,
        Action<IServiceCollection>? replace = null) =>
        Task.Run(() => new EngineHost(configuration, configure, replace));

    public TurnPipeline Pipeline => _host.Services.GetRequiredService<TurnPipeline>();

    public IServiceProvider Services => _host.Services;

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Waits until the post-turn background jobs queued so far (memory writes) are done.</summary>
    public Task BackgroundIdleAsync() => Get<BackgroundJobQueue>().WaitIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
