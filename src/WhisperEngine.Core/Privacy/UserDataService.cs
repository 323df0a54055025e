using System.Diagnostics;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Dispatch;

namespace WhisperEngine.Core.Privacy;

/// <summary>
/// Everything the engine keeps about a person, through every registered <see cref="IUserDataParticipant"/>: counted,
/// exported as one JSON document, or erased (GDPR). The CLI (<c>memory forget|export</c>), Discord's forget command
/// and the HTTP API all use this one service.
/// </summary>
/// <remarks>
/// <para>
/// An erasure holds every conversation of the person in the scope (<see cref="ITurnDispatcher.AcquireAllAsync"/>):
/// a turn in flight finishes first, and turns that arrive meanwhile wait and run afterwards, on an empty history. No
/// turn of theirs writes while the rows are deleted. If a conversation appears that was not held (the person wrote in a
/// new channel during the erasure), the erasure runs again with it held too. Then the finishers remove traces of the
/// deleted rows from storage files and caches.
/// </para>
/// <para>Thread-safe; erasures in one process run one at a time.</para>
/// </remarks>
public sealed partial class UserDataService
{
    /// <summary>Erasure passes before giving up when new conversations keep appearing.</summary>
    private const int MaxPasses = 5;

    private readonly IReadOnlyList<IUserDataParticipant> _participants;
    private readonly IReadOnlyList<IUserConversationLocator> _locators;
    private readonly IReadOnlyList<IErasureFinisher> _finishers;
    private readonly ITurnDispatcher _dispatcher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _erasing = new(1, 1);

    public UserDataService(IEnumerable<IUserDataParticipant> participants, IEnumerable<IUserConversationLocator> locators,
        IEnumerable<IErasureFinisher> finishers, ITurnDispatcher dispatcher, TimeProvider time, ILogger<UserDataService> logger)
    {
        _participants = [.. participants];
        var duplicate = _participants.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two user-data participants are named '{duplicate.Key}'; each export section needs its own name.", nameof(participants));
        }

        _locators = [.. locators];
        _finishers = [.. finishers];
        _dispatcher = dispatcher;
        _time = time;
        _logger = logger;
    }

    /// <summary>The export sections, in the order they are written and erased.</summary>
    public IReadOnlyList<string> Sections => [.. _participants.Select(p => p.Name)];

    /// <summary>Counts what every participant holds of the person.</summary>
    public async ValueTask<UserDataInventory> DescribeAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        scope.Validate();
        var sections = new List<UserDataSection>(_participants.Count);
        foreach (var participant in _participants)
        {
            sections.Add(new UserDataSection(participant.Name, await participant.CountAsync(scope, cancellationToken)));
        }

        var conversations = await LocateAsync(scope, cancellationToken);
        return new UserDataInventory(scope, sections, [.. conversations.Select(c => c.BotId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            conversations.Count);
    }

    /// <summary>
    /// Deletes (the usage ledger: anonymises) everything about the person in <paramref name="scope"/>, then removes the
    /// traces storage keeps (see the remarks of the class). Idempotent.
    /// </summary>
    /// <exception cref="UserDataException">New conversations of the person kept appearing during the erasure.</exception>
    public async ValueTask<ErasureReport> EraseAsync(UserDataScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        scope.Validate();
        var started = _time.GetTimestamp();
        await _erasing.WaitAsync(cancellationToken);
        try
        {
            var totals = _participants.ToDictionary(p => p.Name, _ => new Dictionary<string, UserDataRows>(StringComparer.Ordinal), StringComparer.Ordinal);
            for (var pass = 1; ; pass++)
            {
                var held = await LocateAsync(scope, cancellationToken);
                await using (await _dispatcher.AcquireAllAsync(held, cancellationToken))
                {
                    // From here on the rows go: a cancellation must not leave half a person behind.
                    foreach (var participant in _participants)
                    {
                        foreach (var rows in await participant.EraseAsync(scope, CancellationToken.None))
                        {
                            var section = totals[participant.Name];
                            section[rows.Table] = section.TryGetValue(rows.Table, out var sum) ? sum with { Rows = sum.Rows + rows.Rows } : rows;
                        }
                    }

                    var appeared = (await LocateAsync(scope, CancellationToken.None)).Except(held).ToList();
                    if (appeared.Count == 0)
                    {
                        var finishing = new List<string>();
                        var erased = new ErasedUser(scope, held);
                        foreach (var finisher in _finishers)
                        {
                            if (await finisher.FinishAsync(erased, CancellationToken.None) is { Length: > 0 } done)
                            {
                                finishing.Add(done);
                            }
                        }

                        var report = new ErasureReport(scope,
                            [.. _participants.Select(p => new UserDataSection(p.Name, [.. totals[p.Name].Values]))],
                            held.Count, finishing, _time.GetElapsedTime(started));
                        Log.Erased(_logger, scope.ToString(), report.TotalRows, held.Count, (long)report.Elapsed.TotalMilliseconds);
                        return report;
                    }

                    if (pass == MaxPasses)
                    {
                        throw new UserDataException(
                            $"New conversations of {scope} kept appearing while their data was erased ({MaxPasses} passes); what existed is erased, run the erasure again.")
                        {
                            IsTransient = true,
                        };
                    }

                    Log.NewConversations(_logger, scope.ToString(), appeared.Count, pass);
                }
            }
        }
        finally
        {
            _erasing.Release();
        }
    }

    private async ValueTask<IReadOnlyList<ConversationKey>> LocateAsync(UserDataScope scope, CancellationToken cancellationToken)
    {
        var keys = new HashSet<ConversationKey>();
        foreach (var locator in _locators)
        {
            keys.UnionWith(await locator.FindConversationsAsync(scope, cancellationToken));
        }

        return [.. keys.OrderBy(k => k.ToString(), StringComparer.Ordinal)];
    }

    private static partial class Log
    {
        [LoggerMessage(1201, LogLevel.Information, "Erased the data of {Scope}: {Rows} rows deleted or anonymised, {Conversations} conversations held, {ElapsedMs} ms")]
        public static partial void Erased(ILogger logger, string scope, long rows, int conversations, long elapsedMs);

        [LoggerMessage(1202, LogLevel.Warning, "{Count} new conversations of {Scope} appeared during erasure pass {Pass}; erasing again with them held")]
        public static partial void NewConversations(ILogger logger, string scope, int count, int pass);

        [LoggerMessage(1203, LogLevel.Information, "Exported the data of {Scope}: {Sections}")]
        public static partial void Exported(ILogger logger, string scope, string sections);
    }
}
