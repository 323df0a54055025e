using Microsoft.Data.Sqlite;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.Memory.Sqlite.Facts;

public sealed partial class SqliteFactStore
{
    /// <summary>This store's statements as the steps of <see cref="FactWrites"/>, on one open transaction.</summary>
    private sealed class Steps(SqliteCommand command) : IFactWriteSteps
    {
        public Task<FactRecord?> FindActiveAsync(FactOwner owner, long id) => SqliteFactStore.FindActiveAsync(command, owner, id);

        public Task<FactRecord?> FindActiveByKeyAsync(FactOwner owner, NewFact fact) => SqliteFactStore.FindActiveByKeyAsync(command, owner, fact);

        public Task<FactRecord> InsertAsync(FactOwner owner, NewFact fact, long now) => SqliteFactStore.InsertAsync(command, owner, fact, now);

        public Task<FactRecord> ConfirmAsync(FactRecord existing, double confidence, long now) => SqliteFactStore.ConfirmAsync(command, existing, confidence, now);

        public Task RetireAsync(long id, string? reason, long now) => SqliteFactStore.RetireAsync(command, id, reason, now);

        public Task SetSupersededByAsync(long oldId, long newId) => SqliteFactStore.SetSupersededByAsync(command, oldId, newId);

        public Task MarkAsync(ExtractionMark mark, long now) => SqliteFactStore.MarkAsync(command, mark, now);
    }
}
