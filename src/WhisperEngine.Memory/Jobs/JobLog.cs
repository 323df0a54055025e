using Microsoft.Extensions.Logging;

namespace WhisperEngine.Memory.Jobs;

/// <summary>Log messages of memory's background jobs (event ids 7190-7199).</summary>
internal static partial class JobLog
{
    [LoggerMessage(7190, LogLevel.Error, "Memory job {Job} for {Target} failed; it runs again when next due")]
    public static partial void Failed(ILogger logger, string job, string target, Exception exception);
}
