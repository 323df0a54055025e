using Microsoft.Extensions.Logging;

namespace WhisperEngine.Api;

internal static partial class ApiLog
{
    [LoggerMessage(4002, LogLevel.Error, "Unhandled error in {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);
}
