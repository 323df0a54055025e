using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using WhisperEngine.Hosting.Configuration;

namespace WhisperEngine.Cli;

/// <summary>Logs go to standard error (standard output is for replies and tables), as text or JSON.</summary>
internal static class LoggingSetup
{
    public static void Configure(ILoggingBuilder logging, WhisperEngineSettings settings, LogLevel? atLeast = null)
    {
        logging.ClearProviders();
        var level = atLeast is { } floor && floor < settings.LogLevel ? floor : settings.LogLevel;
        logging.SetMinimumLevel(level);
        // Framework chatter stays at warning unless the user asks for debug.
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);
        logging.AddFilter("System.Net.Http", level <= LogLevel.Debug ? level : LogLevel.Warning);
        // The telemetry client logs every failed attempt with its stack; our retry and fallback logs say it briefly.
        logging.AddFilter("Microsoft.Extensions.AI", level <= LogLevel.Debug ? level : LogLevel.Error);
        if (settings.JsonLogs)
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
