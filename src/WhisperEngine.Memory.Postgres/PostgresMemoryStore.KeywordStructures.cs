using System.Diagnostics;
using Npgsql;

namespace WhisperEngine.Memory.Postgres;

public sealed partial class PostgresMemoryStore
{
    /// <summary>
    /// The generated tsvector, its GIN index and the statistics triggers exist only while the keyword search runs in the
    /// store (<c>memory.keyword_index: store</c>). With the in-memory keyword index (the default) they cost every insert
    /// and every reply update a tsvector, a GIN entry and an upsert per word (an insert took 1.8-3.0 ms of server time
    /// with them, 0.3 without, in the load bench, docs/benchmarks.md §5) and nothing reads them.
    /// </summary>
    private const string SearchColumn = """
        ALTER TABLE memories ADD COLUMN search TSVECTOR GENERATED ALWAYS AS (
            setweight(to_tsvector('english', text), 'A')
            || setweight(to_tsvector('english', speaker), 'B')
            || setweight(to_tsvector('english', coalesce(context, '')), 'C')
            || setweight(to_tsvector('english', coalesce(reply, '')), 'C')
            || setweight(to_tsvector('simple', 'p' || partition_id::text), 'D')) STORED;
        CREATE INDEX ix_memories_search ON memories USING GIN (search);
        """;

    // The statistics are counted again from the rows, in the same transaction as the column: nothing was kept while the
    // structures were away. The trigger functions themselves stay defined (migration 0001).
    private const string Statistics = """
        TRUNCATE memory_terms;
        INSERT INTO memory_terms (partition_id, lexeme, df)
        SELECT m.partition_id, l.lexeme, count(*)
        FROM memories m, unnest(tsvector_to_array(ts_filter(m.search, '{a,c}'))) AS l(lexeme)
        GROUP BY m.partition_id, l.lexeme;
        UPDATE memory_partitions p SET memory_count = (SELECT count(*) FROM memories m WHERE m.partition_id = p.id);
        CREATE TRIGGER memories_stats_insert AFTER INSERT ON memories
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memory_stats_insert();
        CREATE TRIGGER memories_stats_delete AFTER DELETE ON memories
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION memory_stats_delete();
        CREATE TRIGGER memories_stats_update AFTER UPDATE ON memories
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memory_stats_update();
        """;

    private const string DropStructures = """
        DROP TRIGGER IF EXISTS memories_stats_insert ON memories;
        DROP TRIGGER IF EXISTS memories_stats_delete ON memories;
        DROP TRIGGER IF EXISTS memories_stats_update ON memories;
        ALTER TABLE memories DROP COLUMN IF EXISTS search;
        TRUNCATE memory_terms;
        """;

    private volatile bool _keywordStructures = true;

    /// <summary>
    /// Whether the store's keyword search structures (tsvector, GIN index, term statistics) are there; true after the
    /// migrations, until <see cref="UseKeywordSearch"/> says otherwise.
    /// </summary>
    public bool KeywordSearchInStore => _keywordStructures;

    /// <summary>
    /// Adds the keyword search structures when <paramref name="enabled"/> and they are missing (one transaction: the column,
    /// its index and the term statistics counted from every memory, so the table is rewritten once), or drops them when not
    /// enabled. Every process on one store must agree (<c>memory.keyword_index</c>); the change is made under an exclusive
    /// lock of the table, so processes that start together make it once. Synchronous: called once, at start-up.
    /// </summary>
    /// <returns>What changed: null when nothing did, else the memories indexed (0 when dropped) and the time it took.</returns>
    public (long Indexed, TimeSpan Took)? UseKeywordSearch(bool enabled)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var connection = _db.DataSource.OpenConnection();
            if (HasSearchColumn(connection, null) == enabled)
            {
                _keywordStructures = enabled;
                return null;
            }

            using var transaction = connection.BeginTransaction();
            using (var lockTable = new NpgsqlCommand("LOCK TABLE memories IN ACCESS EXCLUSIVE MODE;", connection, transaction))
            {
                lockTable.ExecuteNonQuery();
            }

            long indexed = 0;
            if (HasSearchColumn(connection, transaction) != enabled)
            {
                using var change = new NpgsqlCommand(enabled ? SearchColumn + Statistics : DropStructures, connection, transaction);
                change.ExecuteNonQuery();
                if (enabled)
                {
                    using var count = new NpgsqlCommand("SELECT count(*) FROM memories;", connection, transaction);
                    indexed = (long)count.ExecuteScalar()!;
                }
            }

            transaction.Commit();
            _keywordStructures = enabled;
            return (indexed, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw _db.Translate(ex, enabled ? "adding the keyword search to the memory table" : "dropping the keyword search from the memory table");
        }
    }

    private static bool HasSearchColumn(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        using var command = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM pg_attribute
                           WHERE attrelid = 'memories'::regclass AND attname = 'search' AND NOT attisdropped);
            """, connection, transaction);
        return (bool)command.ExecuteScalar()!;
    }
}
