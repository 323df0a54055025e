using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Usage;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Writing;

namespace WhisperEngine.Memory.Consolidation;

/// <summary>
/// Summarises old sessions (a channel's memories of one UTC day, ended at least <see cref="ConsolidationOptions.MinAge"/>
/// ago) into one compact memory each, written through <see cref="MemoryWriter"/> with a higher importance. The
/// summarised memories are kept, with their importance lowered, and linked to the summary so that no memory is
/// summarised twice: running it again writes nothing new.
/// </summary>
/// <remarks>
/// Thread-safe; runs in the background. Order of a consolidation: the model writes the summary (nothing stored yet);
/// one transaction links and down-weights the sources and keeps the summary text; the summary memory is written; the
/// link to it is recorded. A run stopped between the last two steps is completed by the next run, which adopts a
/// summary memory already written instead of writing it twice. The last three steps run while the person's
/// conversations are held (<see cref="ITurnDispatcher.AcquireAllAsync"/>), and the transaction checks that every
/// summarised memory still exists: a consolidation never writes a summary of a person forgotten meanwhile.
/// </remarks>
public sealed class MemoryConsolidator
{
    /// <summary>The speaker of summary memories, shown in their prompt form: <c>[8 May 2023] Summary: ...</c>.</summary>
    public const string SummarySpeaker = "Summary";

    /// <summary>Most memories of one partition read per run.</summary>
    private const int MaxCandidates = 5000;

    private const string Instructions = """
        You write the long-term memory of a companion bot. Summarise the conversation session below in 2 to 5
        sentences, in the third person and the past tense. Keep every name, date, place, number, plan, preference and
        feeling that was mentioned, and who said what; leave out greetings and small talk. Answer with the summary only.
        """;

    private readonly IConsolidationStore _store;
    private readonly MemoryWriter _writer;
    private readonly IChatClient _chat;
    private readonly ConsolidationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITurnDispatcher? _dispatcher;
    private readonly IUserConversationLocator? _conversations;
    private int _noModelLogged;

    /// <param name="store">The consolidation bookkeeping.</param>
    /// <param name="writer">Writes the summary memories.</param>
    /// <param name="chat">The engine's chat-client pipeline.</param>
    /// <param name="options">The settings.</param>
    /// <param name="time">The clock (which sessions are old).</param>
    /// <param name="logger">Logging.</param>
    /// <param name="dispatcher">Holds the person's conversations while writing; with <paramref name="conversations"/>, else nothing is held (tools and tests).</param>
    /// <param name="conversations">Finds the person's conversations.</param>
    public MemoryConsolidator(IConsolidationStore store, MemoryWriter writer, IChatClient chat, ConsolidationOptions options, TimeProvider time,
        ILogger<MemoryConsolidator> logger, ITurnDispatcher? dispatcher = null, IUserConversationLocator? conversations = null)
    {
        _dispatcher = dispatcher;
        _conversations = conversations;
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _writer = writer;
        _chat = chat;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Sessions of days before this instant are old enough: the start of the UTC day <see cref="ConsolidationOptions.MinAge"/> ago.</summary>
    public DateTimeOffset Cutoff()
    {
        var day = (_time.GetUtcNow() - _options.MinAge).UtcDateTime.Date;
        return new DateTimeOffset(day, TimeSpan.Zero);
    }

    /// <summary>Consolidates the old sessions of one partition; returns how many summary memories were written.</summary>
    public async Task<int> ConsolidateAsync(MemoryPartition partition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        if (!Ready(out var model))
        {
            return 0;
        }

        var written = 0;
        await using (await HoldPersonAsync(partition, cancellationToken))
        {
            // Read under the hold: an erasure deletes pending consolidations with the partition.
            foreach (var pending in await _store.GetPendingAsync(partition, cancellationToken))
            {
                var id = pending.ExistingMemoryId
                    ?? (await _writer.WriteAsync(Summary(partition, pending.ChannelId, pending.Privacy, pending.Summary, pending.OccurredAt), CancellationToken.None)).Id;
                await _store.CompleteAsync(partition, pending.Id, id, CancellationToken.None);
                ConsolidationLog.Recovered(_logger, partition.ToString(), id);
                written++;
            }
        }

        var candidates = await _store.GetUnconsolidatedAsync(partition, Cutoff(), MaxCandidates, cancellationToken);
        foreach (var session in Sessions(candidates, candidates.Count == MaxCandidates))
        {
            var day = DateOnly.FromDateTime(session[0].OccurredAt.UtcDateTime);
            var dayText = day.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
            string? summary;
            try
            {
                summary = await SummariseAsync(partition, model, session, day, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ConsolidationLog.Failed(_logger, partition.ToString(), model, ex.Message);
                return written;
            }

            if (summary is null)
            {
                continue;
            }

            var start = new ConsolidationStart(session[0].ChannelId, session[0].Privacy, day, [.. session.Select(m => m.Id)], summary,
                session[0].OccurredAt, _options.SourceImportanceFactor);
            await using (await HoldPersonAsync(partition, cancellationToken))
            {
                // Refused (null) when a summarised memory is gone: forgotten, or consolidated by another run.
                if (await _store.BeginAsync(partition, start, cancellationToken) is not { } consolidationId)
                {
                    continue;
                }

                // From here the consolidation is recorded; finishing it is not cancelled (an interrupted one is completed next run).
                var record = await _writer.WriteAsync(Summary(partition, start.ChannelId, start.Privacy, summary, start.OccurredAt), CancellationToken.None);
                await _store.CompleteAsync(partition, consolidationId, record.Id, CancellationToken.None);
                ConsolidationLog.Consolidated(_logger, session.Count, partition.ToString(), start.ChannelId, dayText, record.Id);
                written++;
            }
        }

        return written;
    }

    /// <summary>Consolidates every partition with old sessions (at most <paramref name="maxPartitions"/> per call); returns the summaries written.</summary>
    public async Task<int> ConsolidateDueAsync(int maxPartitions = 100, CancellationToken cancellationToken = default)
    {
        if (!Ready(out _))
        {
            return 0;
        }

        var partitions = await _store.GetPartitionsToConsolidateAsync(Cutoff(), _options.MinMemories, maxPartitions, cancellationToken);
        var written = 0;
        foreach (var partition in partitions)
        {
            written += await ConsolidateAsync(partition, cancellationToken);
        }

        ConsolidationLog.Swept(_logger, partitions.Count, written);
        return written;
    }

    /// <summary>
    /// The sessions to summarise: memories grouped by channel, privacy and UTC day, with at least
    /// <see cref="ConsolidationOptions.MinMemories"/>; a long one in even parts of at most
    /// <see cref="ConsolidationOptions.MaxMemoriesPerSummary"/>. When the read was cut at its limit, the last session
    /// may be incomplete and waits for the next run.
    /// </summary>
    internal List<List<MemoryRecord>> Sessions(IReadOnlyList<MemoryRecord> memories, bool truncated)
    {
        var groups = memories
            .GroupBy(m => (m.ChannelId, m.Privacy, Day: DateOnly.FromDateTime(m.OccurredAt.UtcDateTime)))
            .Select(g => g.OrderBy(m => m.OccurredAt).ThenBy(m => m.Id).ToList())
            .ToList();
        if (truncated && groups.Count > 0)
        {
            groups.RemoveAt(groups.Count - 1);
        }

        var sessions = new List<List<MemoryRecord>>();
        foreach (var group in groups.Where(g => g.Count >= _options.MinMemories))
        {
            var parts = (group.Count + _options.MaxMemoriesPerSummary - 1) / _options.MaxMemoriesPerSummary;
            var size = (group.Count + parts - 1) / parts;
            sessions.AddRange(group.Chunk(size).Select(c => c.ToList()));
        }

        return sessions;
    }

    /// <summary>Holds every conversation of the partition's person with its bot, so no erasure runs while a summary is written.</summary>
    private async ValueTask<IAsyncDisposable?> HoldPersonAsync(MemoryPartition partition, CancellationToken cancellationToken)
    {
        if (_dispatcher is null || _conversations is null)
        {
            return null;
        }

        var keys = await _conversations.FindConversationsAsync(new UserDataScope(partition.TenantId, partition.UserId, partition.BotId), cancellationToken);
        return await _dispatcher.AcquireAllAsync(keys, cancellationToken);
    }

    private bool Ready(out string model)
    {
        model = _options.Model ?? "";
        if (!_options.Enabled)
        {
            return false;
        }

        if (_options.Model is null)
        {
            if (Interlocked.Exchange(ref _noModelLogged, 1) == 0)
            {
                ConsolidationLog.NoModel(_logger);
            }

            return false;
        }

        return true;
    }

    /// <summary>The model's summary of a session, asked once more when unusable (empty or too long); null when still unusable.</summary>
    private async Task<string?> SummariseAsync(MemoryPartition partition, string model, List<MemoryRecord> session, DateOnly day, CancellationToken cancellationToken)
    {
        var where = session[0].Privacy switch
        {
            PrivacyLevel.DirectMessage => "a direct message",
            PrivacyLevel.PrivateChannel => "a private channel",
            _ => "a public channel",
        };
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"Session in {where} on {day:d MMMM yyyy}:\n"));
        foreach (var memory in session)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{memory.OccurredAt:HH:mm}] {memory.Speaker}: {memory.Text.Replace('\n', ' ')}\n");
        }

        List<ChatMessage> prompt = [new(ChatRole.System, Instructions), new(ChatRole.User, text.ToString())];
        var problem = "";
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = await _chat.GetResponseAsync(prompt, Options(model, partition), cancellationToken);
            var summary = Clean(response.Text ?? "");
            problem = summary.Length == 0 ? "empty" : summary.Length > _options.MaxSummaryChars ? $"{summary.Length} characters" : "";
            if (problem.Length == 0)
            {
                if (_logger.IsEnabled(LogLevel.Trace))
                {
                    ConsolidationLog.Summary(_logger, partition.ToString(), day.ToString("O", CultureInfo.InvariantCulture), summary);
                }

                return summary;
            }

            prompt.Add(new ChatMessage(ChatRole.Assistant, response.Text ?? ""));
            prompt.Add(new ChatMessage(ChatRole.User, string.Create(CultureInfo.InvariantCulture,
                $"That summary is {problem}; write it again in at most {_options.MaxSummaryChars / 2} characters, the summary only.")));
        }

        ConsolidationLog.Dropped(_logger, partition.ToString(), day.ToString("O", CultureInfo.InvariantCulture), model, problem);
        return null;
    }

    /// <summary>The summary without a label or quotes a model may wrap it in.</summary>
    internal static string Clean(string answer)
    {
        var text = answer.Trim();
        if (text.StartsWith("Summary:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["Summary:".Length..].TrimStart();
        }

        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1].Trim();
        }

        return text;
    }

    private NewMemory Summary(MemoryPartition partition, string channelId, PrivacyLevel privacy, string text, DateTimeOffset occurredAt) =>
        new(partition, channelId, privacy, SummarySpeaker, text, occurredAt) { Importance = _options.SummaryImportance };

    private ChatOptions Options(string model, MemoryPartition partition) => new()
    {
        ModelId = model,
        Temperature = 0.2f,
        MaxOutputTokens = 400,
        AdditionalProperties = new AdditionalPropertiesDictionary
        {
            [UsageContext.PropertyName] = new UsageContext(partition.TenantId, partition.BotId, partition.UserId, "summary", _options.ModelReason),
        },
    };
}
