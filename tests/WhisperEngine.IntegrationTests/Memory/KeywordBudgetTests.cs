using WhisperEngine.Core.Conversations;
using WhisperEngine.IntegrationTests.Support;
using WhisperEngine.Memory;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>
/// The keyword search of a partition larger than <see cref="MemoryOptions.KeywordRowBudget"/> finds by the query's
/// rarer words only; the most common ones add to the score (real SQLite file; the budget is set small so that a dozen memories make a large partition).
/// </summary>
public sealed class KeywordBudgetTests : IDisposable
{
    private static readonly MemoryPartition Ann = MemoryHarness.Partition("ann");
    private static readonly RecallScope Dm = new(Ann, "dm", PrivacyLevel.DirectMessage);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(MemoryHarness Memory, Dictionary<string, long> Ids)> OpenAsync(int budget)
    {
        var memory = new MemoryHarness(_dir.File("we.db"), new HashingEmbeddingGenerator("hashing-v1", 32), new MemoryOptions { KeywordRowBudget = budget });
        await memory.SeedOtherPeopleAsync();
        for (var i = 0; i < 10; i++)
        {
            await memory.WriteAsync(MemoryHarness.Partition("bob"), $"Bob's note number {i} about the garden.");
        }

        string[] lines =
        [
            "coffee with Maria at the station", "coffee before the exam", "the coffee machine broke", "decaf coffee tastes odd",
            "coffee beans from Kenya", "we hiked up the volcano and drank coffee at the top", "the volcano museum was closed",
            "the weather turned cold", "weather forecast says rain", "perfect weather for a picnic", "grey weather all week",
            "my sister called",
        ];
        var ids = new Dictionary<string, long>();
        foreach (var line in lines)
        {
            ids[line] = (await memory.WriteAsync(Ann, line)).Id;
        }

        return (memory, ids);
    }

    private static async Task<IReadOnlyList<long>> SearchAsync(MemoryHarness memory, string query) =>
        (await memory.Store.KeywordSearchAsync(Dm, query, 50)).Select(h => h.Id).Order().ToList();

    [Fact]
    public async Task KeywordSearch_LargePartitionCommonAndRareWord_RareWordFindsCommonWordScores()
    {
        var (memory, ids) = await OpenAsync(budget: 5);
        using var _ = memory;

        var hits = (await memory.Store.KeywordSearchAsync(Dm, "coffee on the volcano", 50)).Select(h => h.Id).ToList();

        // "coffee" (6 memories) finds nothing on its own beside "volcano" (2): it ranks the memory with both words first.
        Assert.Equal([ids["we hiked up the volcano and drank coffee at the top"], ids["the volcano museum was closed"]], hits);
    }

    [Fact]
    public async Task KeywordSearch_BudgetOff_SearchesEveryWord()
    {
        var (memory, ids) = await OpenAsync(budget: 0);
        using var _ = memory;

        var hits = await SearchAsync(memory, "coffee on the volcano");

        Assert.Equal(ids.Where(p => p.Key.Contains("coffee", StringComparison.Ordinal) || p.Key.Contains("volcano", StringComparison.Ordinal))
            .Select(p => p.Value).Order(), hits);
    }

    [Fact]
    public async Task KeywordSearch_PartitionWithinBudget_SearchesEveryWord()
    {
        var (memory, ids) = await OpenAsync(budget: 100);
        using var _ = memory;

        var hits = await SearchAsync(memory, "coffee on the volcano");

        Assert.Equal(7, hits.Count);
        Assert.Contains(ids["coffee beans from Kenya"], hits);
    }

    [Fact]
    public async Task KeywordSearch_EveryWordAboveTheBudget_KeepsTheRarest()
    {
        var (memory, ids) = await OpenAsync(budget: 3);
        using var _ = memory;

        var hits = await SearchAsync(memory, "coffee weather");

        Assert.Equal(ids.Where(p => p.Key.Contains("weather", StringComparison.Ordinal)).Select(p => p.Value).Order(), hits);
    }

    [Fact]
    public async Task KeywordSearch_SpeakerNameAndOneWord_NameStaysABoost()
    {
        var (memory, ids) = await OpenAsync(budget: 3);
        using var _ = memory;

        // "ann" is the speaker of every memory of the partition: a boost, never left out nor searched alone.
        var hits = await SearchAsync(memory, "What did Ann tell me about the volcano?");

        Assert.Equal(new[] { ids["we hiked up the volcano and drank coffee at the top"], ids["the volcano museum was closed"] }.Order(), hits);
    }

    [Fact]
    public async Task KeywordSearch_RarestWordFoundNowhere_KeepsTheNextWordToo()
    {
        var (memory, ids) = await OpenAsync(budget: 3);
        using var _ = memory;

        var hits = await SearchAsync(memory, "zeppelin coffee");

        Assert.Equal(ids.Where(p => p.Key.Contains("coffee", StringComparison.Ordinal)).Select(p => p.Value).Order(), hits);
    }
}
