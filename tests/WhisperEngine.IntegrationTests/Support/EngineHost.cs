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

    private EngineHost(IHost host) => _host = host;

    /// <summary>Builds and starts the engine; <paramref name="configure"/> may replace services (a clock, a shared embedding model).</summary>
    public static async Task<EngineHost> StartAsync(LoadedConfiguration configuration, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddWhisperEngine(configuration);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new EngineHost(host);
    }

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
