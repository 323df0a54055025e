using System.Diagnostics;
using Microsoft.Data.Sqlite;
using WhisperEngine.Core.Privacy;

namespace WhisperEngine.Storage.Sqlite;

/// <summary>
/// Makes an erasure reach the bytes of the database files. The participants delete with <c>secure_delete</c> on, so
/// deleted content is zeroed in its pages; this then runs <c>VACUUM</c>, which rebuilds the file from the live rows
/// only (traces of rows deleted earlier without secure delete, cell copies left behind when pages were rebalanced, old
/// FTS5 segments), and <c>wal_checkpoint(TRUNCATE)</c>, which writes the new pages into the main file and cuts the
/// <c>-wal</c> file to zero bytes: old page images in it, and the rows as first written, are gone. The <c>-shm</c>
/// file holds only the WAL's page index, never row content.
/// </summary>
/// <remarks>
/// Holds the database's write lock throughout; VACUUM takes time proportional to the database (docs/memory.md has the
/// figures). A reader in another process that keeps a read transaction open can delay the checkpoint; it is retried
/// for a few seconds and reported if it stays incomplete.
/// </remarks>
public sealed class SqliteErasureFinisher(SqliteDatabase db, bool vacuum = true) : IErasureFinisher
{
    private const int CheckpointAttempts = 50;
    private static readonly TimeSpan CheckpointRetryDelay = TimeSpan.FromMilliseconds(100);

    public async ValueTask<string?> FinishAsync(ErasedUser erased, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await db.WriteLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await db.OpenForErasureAsync(cancellationToken);
            if (vacuum)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "VACUUM;";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            var truncated = await CheckpointAsync(connection, cancellationToken);
            var file = new FileInfo(db.Path);
            var what = vacuum ? "VACUUM and WAL checkpoint" : "WAL checkpoint";
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return truncated
                ? $"SQLite: {what} in {elapsed:0} ms; {Path.GetFileName(db.Path)} is {file.Length:N0} bytes, its -wal file empty"
                : $"SQLite: {what} in {elapsed:0} ms, but the WAL could not be emptied: another connection kept reading; " +
                  $"the deleted rows' old page images stay in {Path.GetFileName(db.Path)}-wal until the next checkpoint (run memory forget again to retry)";
        }
        catch (SqliteException ex)
        {
            throw db.Translate(ex, "compacting the database after an erasure");
        }
        finally
        {
            db.WriteLock.Release();
        }
    }

    /// <summary>Checkpoints and truncates the WAL; true when it is empty afterwards.</summary>
    private static async Task<bool> CheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                // One row: busy (1 when a reader or writer blocked it), frames in the WAL, frames checkpointed.
                if (await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) == 0 && reader.GetInt64(1) <= 0)
                {
                    return true;
                }
            }

            if (attempt == CheckpointAttempts)
            {
                return false;
            }

            await Task.Delay(CheckpointRetryDelay, cancellationToken);
        }
    }
}
