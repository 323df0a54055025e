using System.Text.Json;
using Npgsql;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Privacy.Export;

namespace WhisperEngine.Storage.Postgres;

/// <summary>
/// The usage ledger's part in exporting and erasing a person's data (section <c>usage</c>): erasure anonymises the
/// rows (the person's id replaced by a random <see cref="ErasedUserId"/>), so costs and budgets still add up.
/// </summary>
public sealed partial class PostgresUsageLedger : IUserDataParticipant
{
    private const string InScope = "tenant_id = $1 AND user_id = $2 AND ($3::text IS NULL OR bot_id = $3)";

    /// <inheritdoc />
    public string Name => "usage";

    public async ValueTask<IReadOnlyList<UserDataRows>> CountAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await using var command = db.DataSource.CreateCommand($"SELECT COUNT(*) FROM usage_ledger WHERE {InScope};");
            AddScope(command, scope);
            return [new("usage_ledger", (long)(await command.ExecuteScalarAsync(cancellationToken))!, UserDataAction.Anonymised)];
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "counting a person's usage rows");
        }
    }

    public async ValueTask ExportAsync(UserDataScope scope, Utf8JsonWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(writer);
        try
        {
            await using var command = db.DataSource.CreateCommand($"SELECT {Columns} FROM usage_ledger WHERE {InScope} ORDER BY ts, id;");
            AddScope(command, scope);
            writer.WriteStartArray();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                JsonSerializer.Serialize(writer, ExportedUsage.From(Read(reader)), UserDataJsonContext.Default.ExportedUsage);
            }

            writer.WriteEndArray();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "exporting a person's usage rows");
        }
    }

    public async ValueTask<IReadOnlyList<UserDataRows>> EraseAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await using var command = db.DataSource.CreateCommand($"UPDATE usage_ledger SET user_id = $4 WHERE {InScope};");
            AddScope(command, scope);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ErasedUserId.New() });
            return [new("usage_ledger", await command.ExecuteNonQueryAsync(CancellationToken.None), UserDataAction.Anonymised)];
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw db.Translate(ex, "anonymising a person's usage rows");
        }
    }

    private static void AddScope(NpgsqlCommand command, UserDataScope scope)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.TenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope.UserId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.BotId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }
}
