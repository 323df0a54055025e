using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhisperEngine.AI.Tokens;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Hosting;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Clustering;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Postgres;
using WhisperEngine.Memory.Sqlite;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;
using WhisperEngine.Storage.Postgres;
using WhisperEngine.Storage.Sqlite;

namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>
/// Runs LoCoMo through the engine's own memory: each turn is written as a memory by <see cref="MemoryWriter"/> (the
/// bot's write path) into a fresh SQLite file or PostgreSQL schema, and each question of categories 1-4 is asked through
/// <see cref="IMemoryRetriever"/> in every retrieval mode.
/// </summary>
internal sealed class LocomoBench
{
    private static readonly RetrievalMode[] AllModes = [RetrievalMode.Hybrid, RetrievalMode.Dense, RetrievalMode.Keyword];
    private readonly LocomoBenchOptions _options;

    public LocomoBench(LocomoBenchOptions options) => _options = options;

    /// <summary>Called after each memory written and each question asked (in all modes).</summary>
    public Action? OnMemoryWritten { get; init; }

    public Action? OnQuestionAsked { get; init; }

    public Action<SweepPoint>? OnSweepPoint { get; init; }

    public Action<AblationRow>? OnAblationRow { get; init; }

    public static int CountQuestions(IEnumerable<LocomoConversation> conversations) =>
        conversations.Sum(c => c.Questions.Count(q => q.Category is >= 1 and <= 4));

    public async Task<LocomoBenchResult> RunAsync(IReadOnlyList<LocomoConversation> conversations, CancellationToken cancellationToken)
    {
        var work = _options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "whisperengine-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        try
        {
            return await RunInAsync(work, conversations, cancellationToken);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (_options.WorkDirectory is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private async Task<LocomoBenchResult> RunInAsync(string work, IReadOnlyList<LocomoConversation> conversations, CancellationToken cancellationToken)
    {
        var clock = new BenchClock();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<ITokenCounter>(_ => new TiktokenTokenCounter());
        var schema = "locomo_" + Guid.NewGuid().ToString("N")[..12];
        if (_options.Store == "postgres")
        {
            services.AddPostgresStores(new PostgresStoreOptions
            {
                ConnectionString = _options.PostgresConnectionString ?? throw new ArgumentException("--store postgres needs --postgres <connection string>."),
                Schema = schema,
            }).AddPostgresMemoryStore(keywordSearchInStore: _options.Memory.KeywordIndex == WhisperEngine.Memory.Keywords.KeywordIndexMode.Store);
        }
        else
        {
            services.AddSqliteStores(new SqliteStoreOptions { Path = Path.Combine(work, "whisperengine.db") }).AddSqliteMemoryStore();
        }

        services.AddLocalMemory(_options.Memory, precision: _options.Precision);
        await using var provider = services.BuildServiceProvider();
        try
        {
            return await RunWithAsync(provider, clock, conversations, cancellationToken);
        }
        finally
        {
            if (_options.Store == "postgres")
            {
                await DropSchemaAsync(provider.GetRequiredService<PostgresDatabase>(), schema);
            }
        }
    }

    private static async Task DropSchemaAsync(PostgresDatabase db, string schema)
    {
        await using var command = db.DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;");
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task<LocomoBenchResult> RunWithAsync(ServiceProvider provider, BenchClock clock, IReadOnlyList<LocomoConversation> conversations,
        CancellationToken cancellationToken)
    {
        var writer = provider.GetRequiredService<MemoryWriter>();
        var retriever = provider.GetRequiredService<IMemoryRetriever>();

        // The model loads once per process; that is start-up, not a memory write.
        var load = Stopwatch.StartNew();
        await provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["warm up"], cancellationToken: cancellationToken);
        var loadSeconds = load.Elapsed.TotalSeconds;

        var writeMs = new List<double>();
        var ingest = Stopwatch.StartNew();
        var turnIds = new List<Dictionary<long, string>>();
        foreach (var conversation in conversations)
        {
            turnIds.Add(await IngestAsync(conversation, writer, clock, writeMs, cancellationToken));
        }

        var ingestSeconds = ingest.Elapsed.TotalSeconds;
        var clusteringMs = new List<double>();
        if (_options.Cluster)
        {
            var clusterer = new MemoryClusterer(provider.GetRequiredService<IMemoryStore>(), provider.GetRequiredService<IMemoryClusterStore>(),
                provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(), new ClusteringOptions { Enabled = true }, clock,
                provider.GetRequiredService<ILogger<MemoryClusterer>>());
            foreach (var conversation in conversations)
            {
                var watch = Stopwatch.StartNew();
                await clusterer.RebuildAsync(Scope(conversation).Partition, cancellationToken);
                clusteringMs.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var modes = AllModes.ToDictionary(m => m, _ => new ModeMetrics());
        var skipped = 0;
        var unknown = 0;
        for (var c = 0; c < conversations.Count; c++)
        {
            var conversation = conversations[c];
            var scope = Scope(conversation);
            var known = turnIds[c].Values.ToHashSet(StringComparer.Ordinal);
            clock.Now = conversation.Sessions.Count > 0 ? conversation.Sessions[^1].Date.AddDays(1) : clock.Now;

            // Loading the partition's index is a cold start paid once per partition, not per question.
            foreach (var mode in AllModes)
            {
                await retriever.RetrieveAsync(new MemoryQuery(scope, "warm up") { Mode = mode }, cancellationToken);
            }

            foreach (var question in conversation.Questions.Where(q => q.Category is >= 1 and <= 4))
            {
                var evidence = question.Evidence.Where(known.Contains).ToHashSet(StringComparer.Ordinal);
                unknown += question.Evidence.Count - evidence.Count;
                if (evidence.Count == 0)
                {
                    skipped++;
                    OnQuestionAsked?.Invoke();
                    continue;
                }

                foreach (var mode in AllModes)
                {
                    await AskAsync(retriever, scope, question, evidence, mode, turnIds[c], modes[mode], cancellationToken);
                }

                OnQuestionAsked?.Invoke();
            }
        }

        var sweep = _options.Sweep ? await SweepAsync(conversations, turnIds, retriever, clock, cancellationToken) : [];
        var ablation = _options.Ablation ? await AblationAsync(conversations, turnIds, retriever, clock, cancellationToken) : [];
        return new LocomoBenchResult(_options, modes, conversations.Count, writeMs.Count, skipped, unknown, writeMs, ingestSeconds, loadSeconds)
        {
            Sweep = sweep,
            Ablation = ablation,
            ClusteringMs = clusteringMs,
        };
    }

    /// <summary>Hybrid recall over a grid of fusion settings, on the memories already written (a tuning aid: the same data tunes and scores).</summary>
    private async Task<List<SweepPoint>> SweepAsync(IReadOnlyList<LocomoConversation> conversations, List<Dictionary<long, string>> turnIds,
        IMemoryRetriever retriever, BenchClock clock, CancellationToken cancellationToken)
    {
        var memory = _options.Memory;
        var (k0, d0, w0) = (memory.RrfK, memory.DenseWeight, memory.KeywordWeight);
        var points = new List<SweepPoint>();
        foreach (var k in new[] { 5, 15, 30, 60 })
        {
            foreach (var keywordWeight in new[] { 1.0, 1.5, 2.0, 3.0 })
            {
                (memory.RrfK, memory.DenseWeight, memory.KeywordWeight) = (k, 1.0, keywordWeight);
                var metrics = new ModeMetrics();
                for (var c = 0; c < conversations.Count; c++)
                {
                    var scope = Scope(conversations[c]);
                    var known = turnIds[c].Values.ToHashSet(StringComparer.Ordinal);
                    clock.Now = conversations[c].Sessions[^1].Date.AddDays(1);
                    foreach (var question in conversations[c].Questions.Where(q => q.Category is >= 1 and <= 4))
                    {
                        var evidence = question.Evidence.Where(known.Contains).ToHashSet(StringComparer.Ordinal);
                        if (evidence.Count > 0)
                        {
                            var ranked = await retriever.RetrieveAsync(new MemoryQuery(scope, question.Question) { MaxResults = 20 }, cancellationToken);
                            var ids = ranked.Hits.Select(h => turnIds[c][h.Record.Id]).ToList();
                            metrics.Add(question.Category, evidence, ids, ranked.Hits.Select(h => h.Record.TokenCount).ToList(), ids, 0, 0);
                        }
                    }
                }

                points.Add(new SweepPoint(k, 1.0, keywordWeight, metrics.RecallAnyAt10, metrics.RecallAnyAt20, metrics.TokensAt10));
                OnSweepPoint?.Invoke(points[^1]);
            }
        }

        (memory.RrfK, memory.DenseWeight, memory.KeywordWeight) = (k0, d0, w0);
        return points;
    }

    /// <summary>
    /// Hybrid recall with one retrieval setting changed at a time from the run's settings, on the memories already
    /// written: what each part of the ranking is worth (and what rejected ideas would do). Write-time settings (reply
    /// context, importance estimate) need their own run.
    /// </summary>
    private async Task<List<AblationRow>> AblationAsync(IReadOnlyList<LocomoConversation> conversations, List<Dictionary<long, string>> turnIds,
        IMemoryRetriever retriever, BenchClock clock, CancellationToken cancellationToken)
    {
        var memory = _options.Memory;
        var variants = new List<(string Name, Action<MemoryOptions> Change)>
        {
            ("as run", _ => { }),
            ("no date matching", o => o.DateWeight = 0),
            ("no speaker boost", o => o.SpeakerWeight = 0),
            ("speaker names as keywords", o => o.SpeakerNamesAsKeywords = true),
            ("importance weight 0.1", o => o.ImportanceWeight = 0.1),
            ("importance weight 0", o => o.ImportanceWeight = 0),
            ("no recency", o => o.RecencyWeight = 0),
            ("candidate pool 100", o => o.CandidatePool = 100),
            ("MMR lambda 0.9", o => o.DiversityLambda = 0.9),
        };
        if (_options.Cluster)
        {
            variants.Add(("cluster boost 0.3", o => o.ClusterWeight = 0.3));
            variants.Add(("at most 3 per cluster", o => o.MaxPerCluster = 3));
        }

        var rows = new List<AblationRow>();
        foreach (var (name, change) in variants)
        {
            var saved = MemoryOptionsCopy.Clone(memory);
            change(memory);
            var metrics = new ModeMetrics();
            for (var c = 0; c < conversations.Count; c++)
            {
                var scope = Scope(conversations[c]);
                var known = turnIds[c].Values.ToHashSet(StringComparer.Ordinal);
                clock.Now = conversations[c].Sessions[^1].Date.AddDays(1);
                foreach (var question in conversations[c].Questions.Where(q => q.Category is >= 1 and <= 4))
                {
                    var evidence = question.Evidence.Where(known.Contains).ToHashSet(StringComparer.Ordinal);
                    if (evidence.Count > 0)
                    {
                        await AskAsync(retriever, scope, question, evidence, RetrievalMode.Hybrid, turnIds[c], metrics, cancellationToken);
                    }
                }
            }

            MemoryOptionsCopy.CopyInto(saved, memory);
            rows.Add(new AblationRow(name, metrics));
            OnAblationRow?.Invoke(rows[^1]);
        }

        return rows;
    }

    private async Task<Dictionary<long, string>> IngestAsync(LocomoConversation conversation, MemoryWriter writer, BenchClock clock,
        List<double> writeMs, CancellationToken cancellationToken)
    {
        var scope = Scope(conversation);
        var ids = new Dictionary<long, string>();
        foreach (var session in conversation.Sessions)
        {
            string? previous = null;
            long? previousId = null;
            for (var i = 0; i < session.Turns.Count; i++)
            {
                var turn = session.Turns[i];
                var text = _options.Captions && turn.ImageCaption is { Length: > 0 } caption
                    ? $"{turn.Text} [shares a photo: {caption}]"
                    : turn.Text;

                // Turns of a session a minute apart: order within a day is kept, dates are the session's.
                var at = session.Date.AddMinutes(i);
                clock.Now = at;
                var memory = new NewMemory(scope.Partition, scope.ChannelId, PrivacyLevel.DirectMessage, turn.Speaker, text, at) { Context = previous, InReplyTo = previousId };
                var watch = Stopwatch.StartNew();
                var record = await writer.WriteAsync(memory, cancellationToken);
                writeMs.Add(watch.Elapsed.TotalMilliseconds);
                ids[record.Id] = turn.DiaId;
                previous = $"{turn.Speaker}: {text}";
                previousId = record.Id;
                OnMemoryWritten?.Invoke();
            }
        }

        return ids;
    }

    private async Task AskAsync(IMemoryRetriever retriever, RecallScope scope, LocomoQuestion question, HashSet<string> evidence, RetrievalMode mode,
        Dictionary<long, string> turnIds, ModeMetrics metrics, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var ranked = await retriever.RetrieveAsync(new MemoryQuery(scope, question.Question) { MaxResults = 20, Mode = mode }, cancellationToken);
        var searchMs = watch.Elapsed.TotalMilliseconds;
        var budgeted = await retriever.RetrieveAsync(new MemoryQuery(scope, question.Question)
        {
            MaxResults = 200,
            MaxTokens = _options.Budget,
            Mode = mode,
        }, cancellationToken);
        metrics.Add(question.Category, evidence,
            ranked.Hits.Select(h => turnIds[h.Record.Id]).ToList(),
            ranked.Hits.Select(h => h.Record.TokenCount).ToList(),
            budgeted.Hits.Select(h => turnIds[h.Record.Id]).ToList(),
            budgeted.TokenCount,
            searchMs);
    }

    private static RecallScope Scope(LocomoConversation conversation) =>
        new(new MemoryPartition("bench", "locomo", conversation.Id), "locomo-" + conversation.Id, PrivacyLevel.DirectMessage);
}
