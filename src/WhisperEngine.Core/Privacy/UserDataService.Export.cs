using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace WhisperEngine.Core.Privacy;

public sealed partial class UserDataService
{
    /// <summary>The value of the export's <c>format</c> property.</summary>
    public const string ExportFormat = "whisperengine.user-data";

    /// <summary>The export's <c>version</c>: raised when a property changes meaning or goes away (new properties may be added without it).</summary>
    public const int ExportVersion = 1;

    /// <summary>
    /// Writes everything the stores keep of the person as one UTF-8 JSON document to <paramref name="output"/>: a header
    /// (<c>format</c>, <c>version</c>, <c>exported_at</c>, <c>tenant</c>, <c>user</c>, <c>bot</c>) and one property per
    /// participant (<see cref="Sections"/>). The shape is documented in docs/memory.md.
    /// </summary>
    public async ValueTask ExportAsync(UserDataScope scope, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(output);
        scope.Validate();
        // The writer fills a pipe and only the pipe touches the stream, asynchronously: serializers flush their writer
        // synchronously, which a stream such as an HTTP response refuses.
        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        await using (var writer = new Utf8JsonWriter((IBufferWriter<byte>)pipe, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", ExportFormat);
            writer.WriteNumber("version", ExportVersion);
            writer.WriteString("exported_at", _time.GetUtcNow());
            writer.WriteString("tenant", scope.TenantId);
            writer.WriteString("user", scope.UserId);
            if (scope.BotId is null)
            {
                writer.WriteNull("bot");
            }
            else
            {
                writer.WriteString("bot", scope.BotId);
            }

            foreach (var participant in _participants)
            {
                writer.WritePropertyName(participant.Name);
                await participant.ExportAsync(scope, writer, cancellationToken);
                // Large exports go out section by section instead of piling up in memory.
                writer.Flush();
                await pipe.FlushAsync(cancellationToken);
            }

            writer.WriteEndObject();
            writer.Flush();
        }

        await pipe.FlushAsync(cancellationToken);
        await pipe.CompleteAsync();
        Log.Exported(_logger, scope.ToString(), string.Join(", ", _participants.Select(p => p.Name)));
    }
}
