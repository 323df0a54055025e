using System.Text.Json;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Privacy.Export;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.Memory.UserData;

/// <summary>
/// Facts' part in exporting and erasing a person's data (section <c>facts</c>), for any <see cref="IFactStore"/>: every
/// fact kept about the person by each bot in the scope, with its history, and their extraction marks. A bot's global
/// facts are not the person's and stay.
/// </summary>
/// <remarks>A backend registers it with its fact store (<c>AddSqliteMemoryStore</c>, <c>AddPostgresMemoryStore</c>).</remarks>
public sealed class FactUserData(IFactStore store) : IUserDataParticipant
{
    /// <inheritdoc />
    public string Name => "facts";

    public async ValueTask<IReadOnlyList<UserDataRows>> CountAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        long facts = 0;
        foreach (var owner in await OwnersAsync(scope, cancellationToken))
        {
            facts += (await store.GetAllAsync(owner, cancellationToken)).Count;
        }

        return [new("facts", facts, UserDataAction.Deleted)];
    }

    public async ValueTask ExportAsync(UserDataScope scope, Utf8JsonWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var owner in await OwnersAsync(scope, cancellationToken))
        {
            foreach (var fact in await store.GetAllAsync(owner, cancellationToken))
            {
                JsonSerializer.Serialize(writer, ToExport(fact), FactJsonContext.Default.ExportedFact);
            }
        }

        writer.WriteEndArray();
    }

    public async ValueTask<IReadOnlyList<UserDataRows>> EraseAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        long facts = 0;
        foreach (var owner in await OwnersAsync(scope, cancellationToken))
        {
            facts += await store.DeleteAllAsync(owner, cancellationToken);
        }

        return [new("facts", facts, UserDataAction.Deleted)];
    }

    private async ValueTask<IReadOnlyList<FactOwner>> OwnersAsync(UserDataScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return await store.GetOwnersAsync(scope.TenantId, scope.UserId, scope.BotId, cancellationToken);
    }

    private static ExportedFact ToExport(FactRecord f) => new()
    {
        Id = f.Id,
        Bot = f.Owner.BotId,
        Subject = f.Subject == FactSubject.Bot ? "bot" : "user",
        Key = f.Key,
        Value = f.Value,
        Confidence = f.Confidence,
        Source = f.Source,
        Privacy = ExportNames.Of(f.Privacy),
        Channel = f.ChannelId,
        CreatedAt = f.CreatedAt,
        UpdatedAt = f.UpdatedAt,
        RetiredAt = f.RetiredAt,
        SupersededBy = f.SupersededBy,
        RetiredReason = f.RetiredReason,
    };
}
