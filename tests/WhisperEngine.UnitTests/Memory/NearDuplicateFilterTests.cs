using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.UnitTests.Memory;

public sealed class NearDuplicateFilterTests
{
    private static List<(long Id, string Text)> Run(IEnumerable<(long Id, string Text)> ranked, Func<long, long, float?> similarity, List<long>? dropped = null) =>
        NearDuplicateFilter.Filter(ranked, c => c.Id, c => c.Text, similarity, 0.95f, c => dropped?.Add(c.Id)).ToList();

    [Fact]
    public void Filter_SimilarityAtThreshold_DropsTheLowerRanked()
    {
        var dropped = new List<long>();
        var kept = Run([(1, "I adopted a dog"), (2, "I adopted a puppy"), (3, "I like jazz")],
            (a, b) => (a, b) is (1, 2) or (2, 1) ? 0.95f : 0.2f, dropped);

        Assert.Equal([1L, 3L], kept.Select(k => k.Id));
        Assert.Equal([2L], dropped);
    }

    [Fact]
    public void Filter_SameTextIgnoringCaseAndPunctuation_DropsWithoutVectors()
    {
        var kept = Run([(1, "Thanks!"), (2, "thanks"), (3, "Thanks, see you!")], (_, _) => null);

        Assert.Equal([1L, 3L], kept.Select(k => k.Id));
    }

    [Fact]
    public void Filter_DistinctCandidates_KeepsAllInOrder()
    {
        var kept = Run([(3, "a b"), (1, "c d"), (2, "e f")], (_, _) => 0.5f);

        Assert.Equal([3L, 1L, 2L], kept.Select(k => k.Id));
    }
}
