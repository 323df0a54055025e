namespace WhisperEngine.Memory.Facts;

/// <summary>
/// How a fact is added and a batch of operations applied, over a backend's <see cref="IFactWriteSteps"/> in one of its
/// transactions: one active value per key, a new value retires the old one and links it to its successor, the same
/// value confirms it.
/// </summary>
public static class FactWrites
{
    /// <summary>Adds <paramref name="fact"/>: the stored fact, whether it is new (else confirmed), and the id it superseded.</summary>
    public static async Task<(FactRecord Record, bool IsNew, long? Superseded)> AddAsync(IFactWriteSteps steps, FactOwner owner, NewFact fact,
        string? reason, long now)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var existing = await steps.FindActiveByKeyAsync(owner, fact);
        if (existing is not null && FactRules.SameValue(existing.Value, fact.Value))
        {
            return (await steps.ConfirmAsync(existing, fact.Confidence, now), false, null);
        }

        if (existing is not null)
        {
            // Retire first: the unique index allows one active value per key.
            await steps.RetireAsync(existing.Id, reason, now);
        }

        var record = await steps.InsertAsync(owner, fact, now);
        if (existing is not null)
        {
            await steps.SetSupersededByAsync(existing.Id, record.Id);
        }

        return (record, true, existing?.Id);
    }

    /// <summary>
    /// Applies a validated batch and moves <paramref name="mark"/>; the result, and whether to commit (false when an
    /// operation names a fact that is not an active fact of the owner: nothing of the batch may stay).
    /// </summary>
    public static async Task<(FactApplyResult Result, bool Commit)> ApplyAsync(IFactWriteSteps steps, FactOwner owner, IReadOnlyList<FactOperation> batch,
        ExtractionMark? mark, long now)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(batch);
        var written = new List<FactRecord>();
        var retired = new List<long>();
        var confirmed = 0;
        foreach (var operation in batch)
        {
            FactRecord? target = null;
            if (operation.TargetId is { } id && (target = await steps.FindActiveAsync(owner, id)) is null)
            {
                return (FactApplyResult.Rejected($"fact {id} is not an active fact of {owner}"), false);
            }

            switch (operation.Kind)
            {
                case FactOperationKind.Add:
                    var (added, isNew, superseded) = await AddAsync(steps, owner, operation.Fact!, operation.Reason, now);
                    if (isNew)
                    {
                        written.Add(added);
                    }
                    else
                    {
                        confirmed++;
                    }

                    if (superseded is { } s)
                    {
                        retired.Add(s);
                    }

                    break;
                case FactOperationKind.Update:
                    var fact = operation.Fact! with { Subject = target!.Subject, Key = target.Key };
                    if (FactRules.SameValue(target.Value, fact.Value))
                    {
                        await steps.ConfirmAsync(target, fact.Confidence, now);
                        confirmed++;
                    }
                    else
                    {
                        await steps.RetireAsync(target.Id, operation.Reason, now);
                        var record = await steps.InsertAsync(owner, fact, now);
                        await steps.SetSupersededByAsync(target.Id, record.Id);
                        written.Add(record);
                        retired.Add(target.Id);
                    }

                    break;
                default:
                    await steps.RetireAsync(target!.Id, operation.Reason, now);
                    retired.Add(target.Id);
                    break;
            }
        }

        if (mark is not null)
        {
            await steps.MarkAsync(mark, now);
        }

        return (new FactApplyResult(written, retired, confirmed), true);
    }
}
