using Npgsql;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.Memory.Postgres.Facts;

public sealed partial class PostgresFactStore
{
    /// <summary>This store's statements as the steps of <see cref="FactWrites"/>, on one open transaction.</summary>
    private sealed class Steps(NpgsqlConnection connection) : IFactWriteSteps
    {
        public Task<FactRecord?> FindActiveAsync(FactOwner owner, long id) => PostgresFactStore.FindActiveAsync(connection, owner, id);

        public Task<FactRecord?> FindActiveByKeyAsync(FactOwner owner, NewFact fact) => PostgresFactStore.FindActiveByKeyAsync(connection, owner, fact);

        public Task<FactRecord> InsertAsync(FactOwner owner, NewFact fact, long now) => PostgresFactStore.InsertAsync(connection, owner, fact, now);

        public Task<FactRecord> ConfirmAsync(FactRecord existing, double confidence, long now) => PostgresFactStore.ConfirmAsync(connection, existing, confidence, now);

        public Task RetireAsync(long id, string? reason, long now) => PostgresFactStore.RetireAsync(connection, id, reason, now);

        public Task SetSupersededByAsync(long oldId, long newId) => PostgresFactStore.SetSupersededByAsync(connection, oldId, newId);

        public Task MarkAsync(ExtractionMark mark, long now) => PostgresFactStore.MarkAsync(connection, mark, now);
    }
}
