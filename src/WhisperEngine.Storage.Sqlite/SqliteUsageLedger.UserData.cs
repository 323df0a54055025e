using System.Text.Json;
using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Privacy.Export;

namespace WhisperEngine.Storage.Sqlite;

/// <summary>
/// The usage ledger's part in exporting and erasing a person's data (section <c>usage</c>). Erasure anonymises: the
/// rows stay (cost totals, budgets and reports must still add up) with the person's id replaced by a random
/// pseudonym (<see cref="ErasedUserId"/>); the rows hold no text of theirs.
/// </summary>
public sealed partial class SqliteUsageLedger : IUserDataParticipant
{
    private const string InScope = "tenant_id = $tenant AND user_id = $user AND ($bot IS NULL OR bot_id = $bot)";

    /// <inheritdoc />
    public string Name => "usage";

    public async ValueTask<IReadOnlyList<UserDataRows>> CountAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM usage_ledger WHERE {InScope};";
            AddScope(command, scope);
            return [new("usage_ledger", (long)(await command.ExecuteScalarAsync(cancellationToken))!, UserDataAction.Anonymised)];
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "counting a person's usage rows");
        }
    }

    public async ValueTask ExportAsync(UserDataScope scope, Utf8JsonWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(writer);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM usage_ledger WHERE {InScope} ORDER BY ts, id;";
            AddScope(command, scope);
            writer.WriteStartArray();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                JsonSerializer.Serialize(writer, ExportedUsage.From(Map(reader)), UserDataJsonContext.Default.ExportedUsage);
            }

            writer.WriteEndArray();
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "exporting a person's usage rows");
        }
    }

    public async ValueTask<IReadOnlyList<UserDataRows>> EraseAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await using var connection = await _db.OpenForErasureAsync(cancellationToken);
            await _db.WriteLock.WaitAsync(cancellationToken);
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"UPDATE usage_ledger SET user_id = $pseudonym WHERE {InScope};";
                AddScope(command, scope);
                command.Parameters.AddWithValue("$pseudonym", ErasedUserId.New());
                var rows = await command.ExecuteNonQueryAsync(CancellationToken.None);
                return [new("usage_ledger", rows, UserDataAction.Anonymised)];
            }
            finally
            {
                _db.WriteLock.Release();
            }
        }
        catch (SqliteException ex)
        {
            throw _db.Translate(ex, "anonymising a person's usage rows");
        }
    }

    private static void AddScope(SqliteCommand command, UserDataScope scope)
    {
        command.Parameters.AddWithValue("$tenant", scope.TenantId);
        command.Parameters.AddWithValue("$user", scope.UserId);
        command.Parameters.AddWithValue("$bot", (object?)scope.BotId ?? DBNull.Value);
    }
}
