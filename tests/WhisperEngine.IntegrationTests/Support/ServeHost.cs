using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using WhisperEngine.Api;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.IntegrationTests.Support;

/// <summary>The real HTTP server in process, on a free loopback port.</summary>
public sealed class ServeHost : IAsyncDisposable
{
    private ServeHost(WebApplication app, Uri baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
    }

    public WebApplication App { get; }

    /// <summary>The server root, e.g. http://127.0.0.1:5123/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The OpenAI endpoint: root + v1/.</summary>
    public Uri V1 => new(BaseUrl, "v1/");

    public IServiceProvider Services => App.Services;

    public static async Task<ServeHost> StartAsync(LoadedConfiguration configuration, ILoggerProvider? logs = null)
    {
        var app = ApiServer.Build(configuration, logs is null ? null : logging => logging.AddProvider(logs));
        await app.StartAsync();
        return new ServeHost(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
