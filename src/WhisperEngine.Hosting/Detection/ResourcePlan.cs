using System.Globalization;

namespace WhisperEngine.Hosting.Detection;

/// <summary>
/// Sizes the engine's concurrency, queues and caches from a <see cref="DetectedEnvironment"/>.
/// All formulas live in <see cref="FromEnvironment"/> and the constants of this class.
/// </summary>
/// <remarks>
/// With <c>cpus</c> = <see cref="DetectedEnvironment.EffectiveCpus"/> (cgroup quota and affinity applied)
/// and <c>memory</c> = <see cref="DetectedEnvironment.EffectiveMemoryBytes"/> (1 GiB assumed when unknown):
/// <list type="bullet">
/// <item><description><see cref="MaxConcurrentTurns"/> = clamp(floor(4 × cpus), 2, 256). A turn mostly
/// waits on the LLM provider, so several turns per CPU keep it busy without oversubscribing the prompt-building work.</description></item>
/// <item><description><see cref="TurnQueueCapacity"/> = max(16 × MaxConcurrentTurns, 32): pending turns
/// beyond this are refused with "busy" instead of growing latency without bound.</description></item>
/// <item><description><see cref="BackgroundWorkers"/> = max(1, floor(cpus / 2)): memory extraction,
/// summarisation and maintenance get at most half the CPUs.</description></item>
/// <item><description><see cref="CacheMemoryBytes"/> = clamp(5% × memory, 16 MiB, 1 GiB).</description></item>
/// <item><description><see cref="MaxHistoryMessagesCached"/> = (CacheMemoryBytes / 2) / 4 KiB: half of the cache
/// budget holds recent conversation history at about 4 KiB per message, which gives 2,048 to 131,072 messages.</description></item>
/// </list>
/// </remarks>
public sealed record ResourcePlan
{
    /// <summary>Concurrent turns per effective CPU.</summary>
    internal const int TurnsPerCpu = 4;

    /// <summary>Lower bound of <see cref="MaxConcurrentTurns"/>.</summary>
    internal const int MinTurns = 2;

    /// <summary>Upper bound of <see cref="MaxConcurrentTurns"/>.</summary>
    internal const int MaxTurns = 256;

    /// <summary>Queue slots per concurrent turn.</summary>
    internal const int QueuedTurnsPerConcurrentTurn = 16;

    /// <summary>Lower bound of <see cref="TurnQueueCapacity"/>.</summary>
    internal const int MinQueueCapacity = 32;

    /// <summary>Effective CPUs per background worker.</summary>
    internal const int CpusPerBackgroundWorker = 2;

    /// <summary>Share of effective memory given to caches.</summary>
    internal const double CacheMemoryFraction = 0.05;

    /// <summary>Lower bound of <see cref="CacheMemoryBytes"/>.</summary>
    internal const long MinCacheBytes = 16 * ByteSize.MiB;

    /// <summary>Upper bound of <see cref="CacheMemoryBytes"/>.</summary>
    internal const long MaxCacheBytes = ByteSize.GiB;

    /// <summary>Memory assumed when neither the host memory nor a cgroup limit is known.</summary>
    internal const long AssumedMemoryBytes = ByteSize.GiB;

    /// <summary>Share of the cache budget that holds conversation history.</summary>
    internal const int HistoryShareDivisor = 2;

    /// <summary>Estimated footprint of one cached history message (text, metadata and object overhead).</summary>
    internal const long BytesPerCachedMessage = 4 * ByteSize.KiB;

    /// <summary>Conversation turns processed in parallel.</summary>
    public required int MaxConcurrentTurns { get; init; }

    /// <summary>Turns that may wait for a free slot before new ones are refused with "busy".</summary>
    public required int TurnQueueCapacity { get; init; }

    /// <summary>Workers for background jobs (memory extraction, summarisation, maintenance).</summary>
    public required int BackgroundWorkers { get; init; }

    /// <summary>Memory budget for in-process caches, in bytes.</summary>
    public required long CacheMemoryBytes { get; init; }

    /// <summary>Conversation-history messages kept in memory across all conversations.</summary>
    public required int MaxHistoryMessagesCached { get; init; }

    /// <summary>
    /// One line per value above, in the same order, naming the inputs, e.g.
    /// "MaxConcurrentTurns: 2 CPUs (cgroup quota 2.0) -> 8 concurrent turns".
    /// </summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Computes the plan for the given environment.</summary>
    public static ResourcePlan FromEnvironment(DetectedEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var reasons = new List<string>(5);

        var cpus = environment.EffectiveCpus;
        var cpuSource = DescribeCpus(environment);
        if (!double.IsFinite(cpus) || cpus <= 0)
        {
            cpus = 1;
            cpuSource = "unknown CPUs, assuming 1";
        }

        var rawTurns = (int)Math.Min(Math.Floor(TurnsPerCpu * cpus), int.MaxValue);
        var turns = Math.Clamp(rawTurns, MinTurns, MaxTurns);
        reasons.Add(Invariant($"MaxConcurrentTurns: {cpuSource} -> {turns} concurrent turns{ClampNote(rawTurns, turns, MinTurns, MaxTurns)}"));

        var queue = Math.Max(turns * QueuedTurnsPerConcurrentTurn, MinQueueCapacity);
        reasons.Add(Invariant($"TurnQueueCapacity: {turns} concurrent turns x {QueuedTurnsPerConcurrentTurn} -> {queue} queued turns{ClampNote(turns * QueuedTurnsPerConcurrentTurn, queue, MinQueueCapacity, int.MaxValue)}"));

        var workers = Math.Max(1, (int)Math.Min(Math.Floor(cpus / CpusPerBackgroundWorker), int.MaxValue));
        reasons.Add(Invariant($"BackgroundWorkers: {FormatCpus(cpus)} / {CpusPerBackgroundWorker} -> {workers} background worker{(workers == 1 ? string.Empty : "s")}"));

        var (memory, memorySource) = environment.EffectiveMemoryBytes is > 0
            ? (environment.EffectiveMemoryBytes.Value, DescribeMemory(environment))
            : (AssumedMemoryBytes, Invariant($"unknown memory, assuming {ByteSize.Format(AssumedMemoryBytes)}"));
        var rawCache = (long)(memory * CacheMemoryFraction);
        var cache = Math.Clamp(rawCache, MinCacheBytes, MaxCacheBytes);
        reasons.Add(Invariant($"CacheMemoryBytes: {CacheMemoryFraction * 100:0.#}% of {memorySource} -> {ByteSize.Format(cache)} cache{ClampNote(rawCache, cache, MinCacheBytes, MaxCacheBytes, ByteSize.Format)}"));

        var history = (int)(cache / HistoryShareDivisor / BytesPerCachedMessage);
        reasons.Add(Invariant($"MaxHistoryMessagesCached: 1/{HistoryShareDivisor} of {ByteSize.Format(cache)} cache / {ByteSize.Format(BytesPerCachedMessage)} per message -> {history} messages"));

        return new ResourcePlan
        {
            MaxConcurrentTurns = turns,
            TurnQueueCapacity = queue,
            BackgroundWorkers = workers,
            CacheMemoryBytes = cache,
            MaxHistoryMessagesCached = history,
            Reasons = reasons,
        };
    }

    private static string DescribeCpus(DetectedEnvironment environment)
    {
        var cpus = FormatCpus(environment.EffectiveCpus);
        return environment.CpuLimit is { } quota
            ? Invariant($"{cpus} (cgroup quota {quota:0.0#})")
            : Invariant($"{cpus} (no cgroup quota, {environment.HostCpuCount} host CPUs)");
    }

    private static string DescribeMemory(DetectedEnvironment environment)
    {
        var effective = environment.EffectiveMemoryBytes ?? 0;
        var source = environment.MemoryLimitBytes == effective ? "cgroup limit" : "host memory";
        return Invariant($"{ByteSize.Format(effective)} ({source})");
    }

    private static string FormatCpus(double cpus) =>
        Invariant($"{cpus:0.##} CPU{(cpus == 1 ? string.Empty : "s")}");

    private static string ClampNote<T>(T raw, T clamped, T min, T max, Func<T, string>? format = null)
        where T : IComparable<T>
    {
        format ??= value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        if (raw.CompareTo(clamped) == 0)
        {
            return string.Empty;
        }

        return clamped.CompareTo(min) == 0 ? $" (minimum {format(min)})" : $" (maximum {format(max)})";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
