using System.Text.Json;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Gateway;

public sealed partial class DiscordGatewayClient
{
    /// <summary>When the day's session starts are used up, identifying would fail: wait for the reset instead.</summary>
    private async Task WaitForSessionStartAsync(SessionStartLimit limit, CancellationToken cancellationToken)
    {
        if (limit.Remaining <= 0 && limit.ResetAfter > 0)
        {
            var reset = TimeSpan.FromMilliseconds(limit.ResetAfter);
            GatewayLog.SessionStartLimitExhausted(_logger, ShardId, limit.Total, reset.TotalMilliseconds);
            await Task.Delay(reset, _time, cancellationToken);
        }
    }

    /// <summary>Takes this shard's identify slot (heartbeats keep the connection alive meanwhile).</summary>
    private async Task WaitForIdentifySlotAsync(SessionStartLimit limit, CancellationToken cancellationToken)
    {
        var waited = await _identifyQueue.WaitTurnAsync(ShardId, limit.MaxConcurrency, cancellationToken);
        if (waited > TimeSpan.Zero)
        {
            GatewayLog.IdentifyWaited(_logger, ShardId, waited.TotalMilliseconds, limit.MaxConcurrency);
        }
    }

    private Task SendIdentifyAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        var identify = new GatewayCommand<IdentifyData>((int)GatewayOpCode.Identify, new IdentifyData(
            _options.Token,
            new IdentifyProperties(OperatingSystemName(), "WhisperEngine", "WhisperEngine"),
            (int)_options.Intents,
            [_options.ShardId, _options.ShardCount],
            _options.LargeThreshold));
        return connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(identify, DiscordJsonContext.Default.GatewayCommandIdentifyData), heartbeat: false, cancellationToken);
    }

    private Task SendResumeAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        var resume = new GatewayCommand<ResumeData>((int)GatewayOpCode.Resume, new ResumeData(_options.Token, _sessionId!, Sequence));
        return connection.SendAsync(JsonSerializer.SerializeToUtf8Bytes(resume, DiscordJsonContext.Default.GatewayCommandResumeData), heartbeat: false, cancellationToken);
    }

    private static string OperatingSystemName() =>
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "unknown";
}
