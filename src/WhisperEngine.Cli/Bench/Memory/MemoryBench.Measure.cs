using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WhisperEngine.AI.Embeddings;
using WhisperEngine.AI.Tokens;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Hnsw;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Keywords;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Writing;

namespace WhisperEngine.Cli.Bench.Memory;

internal sealed partial class MemoryBench
{
    /// <summary>
    /// Untimed operations of each kind before the timed ones: enough for the runtime's tiered JIT to have compiled the
    /// search path at its final tier (30 calls, then a background compile), as it has in a server that is running.
    /// </summary>
    private const int WarmUp = 60;
    private static readonly MemoryPartition InsertPartition = new("bench", "elena", "insert-only");

    private async Task SearchAsync(MemoryBenchRun run, IMemoryStore store, IMemoryStore everyWord, KeywordIndexRegistry keywordIndexes,
        (MiniLmEmbeddingGenerator Engine, MiniLmEmbeddingGenerator Other) runners, PackageMiniLmEmbeddingGenerator? package, IVectorIndex exact, HnswVectorIndex hnsw,
        List<(HybridRetriever Retriever, LatencySample Sample)> searches, int size, CancellationToken cancellationToken)
    {
        var dm = new RecallScope(Partition, "dm", PrivacyLevel.DirectMessage);
        var general = new RecallScope(Partition, "general", PrivacyLevel.PublicChannel);
        var conversation = new SyntheticConversation(_options.Seed + 1);
        var questions = Enumerable.Range(0, _options.Queries + WarmUp).Select(_ => conversation.Question()).ToList();
        var pool = new MemoryOptions().CandidatePool;
        double recall = 0, recallPublic = 0, keywordRecall = 0, keywordIndexRecall = 0;
        for (var i = 0; i < questions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var measured = i >= WarmUp;
            var question = questions[i];

            // The two precisions alternate which goes first, so neither always finds the caches warm.
            var watch = Stopwatch.StartNew();
            if (i % 2 == 1)
            {
                await runners.Other.GenerateAsync([question], cancellationToken: cancellationToken);
                Record(measured, run.EmbedQueryOther, watch);
                watch.Restart();
            }

            var vector = (await runners.Engine.GenerateAsync([question], cancellationToken: cancellationToken))[0].Vector;
            Record(measured, run.EmbedQuery, watch);
            if (i % 2 == 0)
            {
                watch.Restart();
                await runners.Other.GenerateAsync([question], cancellationToken: cancellationToken);
                Record(measured, run.EmbedQueryOther, watch);
            }

            if (package is not null)
            {
                watch.Restart();
                await package.GenerateAsync([question], cancellationToken: cancellationToken);
                Record(measured, run.EmbedQueryPackage, watch);
            }

            watch.Restart();
            exact.Search(vector.Span, pool, dm);
            Record(measured, run.VectorExact, watch);
            watch.Restart();
            hnsw.Search(vector.Span, pool, dm);
            Record(measured, run.VectorHnsw, watch);
            watch.Restart();
            var hnswPublic = hnsw.Search(vector.Span, 10, general);
            Record(measured, run.VectorHnswPublic, watch);
            if (measured)
            {
                recall += Overlap(exact.Search(vector.Span, 10, dm), hnsw.Search(vector.Span, 10, dm));
                recallPublic += Overlap(exact.Search(vector.Span, 10, general), hnswPublic);
            }

            watch.Restart();
            var keyword = await store.KeywordSearchAsync(dm, question, pool, cancellationToken);
            Record(measured, run.Keyword, watch);
            watch.Restart();
            var keywordEveryWord = await everyWord.KeywordSearchAsync(dm, question, pool, cancellationToken);
            Record(measured, run.KeywordEveryWord, watch);
            watch.Restart();
            var keywordIndex = await keywordIndexes.SearchAsync(dm, question, pool, cancellationToken);
            Record(measured, run.KeywordIndex, watch);
            watch.Restart();
            await keywordIndexes.SearchAsync(general, question, pool, cancellationToken);
            Record(measured, run.KeywordIndexPublic, watch);
            if (measured)
            {
                keywordRecall += KeywordOverlap(keywordEveryWord, keyword);
                keywordIndexRecall += KeywordOverlap(keywordEveryWord, keywordIndex);
            }

            // Whole searches, query embedding included; the order of the variants rotates so none always runs first.
            for (var j = 0; j < searches.Count; j++)
            {
                var (retriever, sample) = searches[(i + j) % searches.Count];
                watch.Restart();
                await retriever.RetrieveAsync(new MemoryQuery(dm, question) { MaxResults = _options.TopK }, cancellationToken);
                Record(measured, sample, watch);
            }

            OnProgress?.Invoke($"searching {size:N0}", i + 1, questions.Count);
        }

        run.RecallAt10 = recall / _options.Queries;
        run.RecallAt10Public = recallPublic / _options.Queries;
        run.KeywordRecallAt10 = keywordRecall / _options.Queries;
        run.KeywordIndexRecallAt10 = keywordIndexRecall / _options.Queries;
    }

    private async Task WriteAsync(MemoryBenchRun run, IMemoryStore store, (MiniLmEmbeddingGenerator Engine, MiniLmEmbeddingGenerator Other) runners,
        PackageMiniLmEmbeddingGenerator? package,
        TiktokenTokenCounter tokens, VectorIndexRegistry exactIndexes, VectorIndexRegistry hnswIndexes, MemoryOptions memoryOptions, int size,
        CancellationToken cancellationToken)
    {
        // Writes land in the measured partition, whose indexes are loaded: each write also updates the exact index
        // (baseline) or the HNSW graph (the engine's runner).
        var writers = new List<(MemoryWriter Writer, LatencySample Sample)>
        {
            (new MemoryWriter(store, runners.Engine, tokens, hnswIndexes, memoryOptions, NullLogger<MemoryWriter>.Instance), run.Write),
        };
        if (package is not null)
        {
            writers.Add((new MemoryWriter(store, package, tokens, exactIndexes, memoryOptions, NullLogger<MemoryWriter>.Instance), run.WriteBaseline));
        }

        var conversation = new SyntheticConversation(_options.Seed + 2);
        var start = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        var total = (_options.Writes + WarmUp) * writers.Count;
        for (var i = 0; i < total; i++)
        {
            var (writer, sample) = writers[i % writers.Count];
            var memory = Memory(conversation.Next(), start.AddMinutes(i));
            var measured = i >= WarmUp * writers.Count;
            var watch = Stopwatch.StartNew();
            if (writer == writers[0].Writer)
            {
                // The parts of a write, timed alone: the embedding, and the insert (into another partition).
                var text = MemoryFormatter.EmbeddingText(memory.Speaker, memory.Text);
                var vector = (await runners.Engine.GenerateAsync([text], cancellationToken: cancellationToken))[0];
                Record(measured, run.EmbedMemory, watch);
                watch.Restart();
                await runners.Other.GenerateAsync([text], cancellationToken: cancellationToken);
                Record(measured, run.EmbedMemoryOther, watch);
                watch.Restart();
                await store.AddAsync(memory with { Partition = InsertPartition }, 20, new StoredEmbedding(writer.Model.Model, vector.Vector), cancellationToken);
                Record(measured, run.Insert, watch);
                watch.Restart();
            }

            await writer.WriteAsync(memory, cancellationToken);
            Record(measured, sample, watch);
            OnProgress?.Invoke($"writing {size:N0}", i + 1, total);
        }
    }

    private static void Record(bool measured, LatencySample sample, Stopwatch watch)
    {
        if (measured)
        {
            sample.Add(watch.Elapsed);
        }
    }

    /// <summary>
    /// Share of the every-word keyword search's top 10 that the budgeted search returns among its candidates (fusion
    /// takes all of them), counted by score as for HNSW: memories scoring the same as the 10th are equally right.
    /// </summary>
    private static double KeywordOverlap(IReadOnlyList<KeywordHit> reference, IReadOnlyList<KeywordHit> candidate)
    {
        var top = reference.Take(10).ToList();
        if (top.Count == 0)
        {
            return 1;
        }

        var found = candidate.Select(h => h.Id).ToHashSet();
        var threshold = top[^1].Score * (1 - 1e-9);
        var tied = reference.Where(h => h.Score >= threshold).Select(h => h.Id).ToHashSet();
        var ranked = top.Count(h => found.Contains(h.Id));
        var tiesFound = reference.Skip(top.Count).Count(h => tied.Contains(h.Id) && found.Contains(h.Id));
        return Math.Min(top.Count, ranked + tiesFound) / (double)top.Count;
    }

    /// <summary>
    /// Recall of the candidate against the exact top k: the share of its hits that are as similar as the exact k-th.
    /// Counting by similarity, not id, keeps ties fair: conversation repeats itself ("haha yes"), and of a hundred equal
    /// vectors any ten are a right answer.
    /// </summary>
    private static double Overlap(IReadOnlyList<VectorHit> reference, IReadOnlyList<VectorHit> candidate)
    {
        if (reference.Count == 0)
        {
            return 1;
        }

        var threshold = reference[^1].Similarity - 1e-5f;
        return Math.Min(reference.Count, candidate.Count(h => h.Similarity >= threshold)) / (double)reference.Count;
    }
}
