using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.Memory.Jobs;

/// <summary>
/// The adapter between memory's background work and whatever runs background jobs (a bounded queue drained by a
/// hosted worker, or <c>MemoryJobService</c>'s own loop): it says which jobs are due and hands them out as delegates.
/// Jobs log their own failures and never throw except for cancellation, so a queue can run them blindly.
/// </summary>
/// <remarks>
/// Thread-safe. Wiring: after a user message is stored, call <see cref="AfterUserMessage"/> and enqueue the job it
/// returns, if any; every minute or so, enqueue <see cref="DueJobs"/>. Nothing here runs on a reply's path.
/// </remarks>
public sealed class MemoryJobs
{
    private readonly FactExtractionTrigger _trigger;
    private readonly FactExtractionJob _facts;
    private readonly MemoryConsolidator _consolidator;
    private readonly ConsolidationOptions _consolidation;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public MemoryJobs(FactExtractionTrigger trigger, FactExtractionJob facts, MemoryConsolidator consolidator, ConsolidationOptions consolidation,
        TimeProvider time, ILogger<MemoryJobs> logger)
    {
        _trigger = trigger;
        _facts = facts;
        _consolidator = consolidator;
        _consolidation = consolidation;
        _time = time;
        _logger = logger;
    }

    /// <summary>Counts a stored user message of <paramref name="conversation"/>; returns the fact extraction to enqueue when one is due.</summary>
    public Func<CancellationToken, Task>? AfterUserMessage(ConversationKey conversation, PrivacyLevel privacy) =>
        _trigger.OnUserMessage(conversation, privacy) ? ExtractFacts(conversation, privacy) : null;

    /// <summary>
    /// Jobs due now: fact extraction for conversations quiet for the quiet period with unread messages, and the
    /// consolidation sweep once per <see cref="ConsolidationOptions.Interval"/>.
    /// </summary>
    public IReadOnlyList<Func<CancellationToken, Task>> DueJobs()
    {
        var jobs = _trigger.TakeQuiet().Select(q => ExtractFacts(q.Conversation, q.Privacy)).ToList();
        if (_consolidation.Enabled)
        {
            var now = _time.GetUtcNow();
            lock (_lock)
            {
                if (now >= _nextSweep)
                {
                    _nextSweep = now + _consolidation.Interval;
                    jobs.Add(Consolidate);
                }
            }
        }

        return jobs;
    }

    /// <summary>The job that extracts the facts of one conversation's unread messages.</summary>
    public Func<CancellationToken, Task> ExtractFacts(ConversationKey conversation, PrivacyLevel privacy) => async cancellationToken =>
    {
        try
        {
            await _facts.RunAsync(conversation, privacy, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            JobLog.Failed(_logger, "fact extraction", conversation.ToString(), ex);
        }
    };

    private async Task Consolidate(CancellationToken cancellationToken)
    {
        try
        {
            await _consolidator.ConsolidateDueAsync(cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            JobLog.Failed(_logger, "consolidation", "all partitions", ex);
        }
    }
}
