using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Keywords;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.UnitTests.Memory;

public sealed class KeywordIndexTests
{
    private static readonly MemoryPartition Ann = new("default", "elena", "ann");

    private static MemoryRecord Record(long id, string text, PrivacyLevel privacy = PrivacyLevel.DirectMessage, string channel = "dm",
        string speaker = "ann", string? context = null, string? reply = null) => new()
        {
            Id = id,
            Partition = Ann,
            ChannelId = channel,
            Privacy = privacy,
            Speaker = speaker,
            Text = text,
            Context = context,
            Reply = reply,
            OccurredAt = DateTimeOffset.UnixEpoch,
            CreatedAt = DateTimeOffset.UnixEpoch,
            TokenCount = 10,
        };

    /// <summary>A corpus with a skewed vocabulary (a few everyday words, many rare ones), mixed privacy and channels.</summary>
    private static (KeywordIndex Index, string[] Vocabulary) RandomIndex(int seed, int memories)
    {
        var random = new Random(seed);
        var vocabulary = Enumerable.Range(0, 300).Select(i => "w" + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture) + "x").ToArray();
        var index = new KeywordIndex(Ann);
        var records = new List<MemoryRecord>();
        for (var id = 1; id <= memories; id++)
        {
            var words = Enumerable.Range(0, random.Next(3, 25))
                .Select(_ => vocabulary[(int)(vocabulary.Length * Math.Pow(random.NextDouble(), 3))]);
            var privacy = (PrivacyLevel)random.Next(3);
            var channel = privacy == PrivacyLevel.PrivateChannel ? "room" + random.Next(3) : privacy == PrivacyLevel.PublicChannel ? "general" : "dm";
            var context = random.Next(4) == 0 ? vocabulary[random.Next(vocabulary.Length)] : null;
            records.Add(Record(id, string.Join(' ', words), privacy, channel, random.Next(5) == 0 ? "bob" : "ann", context));
        }

        index.Add(records);
        return (index, vocabulary);
    }

    [Theory]
    [InlineData(PrivacyLevel.DirectMessage, "dm")]
    [InlineData(PrivacyLevel.PrivateChannel, "room1")]
    [InlineData(PrivacyLevel.PublicChannel, "general")]
    public void Search_TopK_SameAsScoringEveryMemory(PrivacyLevel privacy, string channel)
    {
        var (index, vocabulary) = RandomIndex(seed: 7, memories: 3000);
        var scope = new RecallScope(Ann, channel, privacy);
        var random = new Random(11);
        for (var q = 0; q < 60; q++)
        {
            var query = string.Join(' ', Enumerable.Range(0, random.Next(1, 6)).Select(_ => vocabulary[random.Next(vocabulary.Length)]));

            // With room for every memory, nothing is pruned: every memory holding a word is scored.
            var everything = index.Search(scope, query, 100_000, namesAsKeywords: false);
            foreach (var k in new[] { 1, 5, 10, 50 })
            {
                var top = index.Search(scope, query, k, namesAsKeywords: false);
                Assert.Equal(everything.Take(k).Select(h => h.Id), top.Select(h => h.Id));
                Assert.Equal(everything.Take(k).Select(h => h.Score), top.Select(h => h.Score));
            }
        }
    }

    [Fact]
    public void Search_Stemmed_FindsOtherFormsOfTheWord()
    {
        var index = new KeywordIndex(Ann);
        index.Add([Record(1, "She was running every morning."), Record(2, "The runs were long."), Record(3, "A quiet evening.")]);

        var hits = index.Search(new RecallScope(Ann, "dm", PrivacyLevel.DirectMessage), "Does she run?", 10, namesAsKeywords: false);

        Assert.Equal([1L, 2L], hits.Select(h => h.Id).Order());
    }

    [Fact]
    public void Search_ContextAndReply_FindButWeighLessThanTheWords()
    {
        var index = new KeywordIndex(Ann);
        index.Add([Record(1, "We talked for hours.", context: "the volcano trip"), Record(2, "The volcano erupted."),
            Record(3, "Nice!", reply: "elena: the volcano photos are great"), Record(4, "Nothing here.")]);

        var hits = index.Search(new RecallScope(Ann, "dm", PrivacyLevel.DirectMessage), "volcano", 10, namesAsKeywords: false);

        Assert.Equal(2L, hits[0].Id);
        Assert.Equal([1L, 2L, 3L], hits.Select(h => h.Id).Order());
    }

    [Fact]
    public void Add_ReplacedMemory_OldWordsGoNewWordsFind()
    {
        var index = new KeywordIndex(Ann);
        index.Add([Record(1, "What should I cook?"), Record(2, "Something else entirely.")]);
        index.Add([Record(1, "What should I cook?", reply: "elena: try a lasagne")], replace: true);
        index.Add([Record(1, "Ignored: already indexed, and no replacement asked.")]);

        var scope = new RecallScope(Ann, "dm", PrivacyLevel.DirectMessage);
        Assert.Equal([1L], index.Search(scope, "lasagne", 10, namesAsKeywords: false).Select(h => h.Id));
        Assert.Equal([1L], index.Search(scope, "cook", 10, namesAsKeywords: false).Select(h => h.Id));
        Assert.Empty(index.Search(scope, "ignored", 10, namesAsKeywords: false));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void Add_ManyReplacements_CompactedAndStillExact()
    {
        var index = new KeywordIndex(Ann);
        var scope = new RecallScope(Ann, "dm", PrivacyLevel.DirectMessage);
        index.Add(Enumerable.Range(1, 500).Select(i => Record(i, $"note n{i} about gardens and tulips")));
        for (var round = 0; round < 3; round++)
        {
            index.Add(Enumerable.Range(1, 500).Select(i => Record(i, $"note n{i} about gardens and tulips", reply: $"elena: answer r{round}x{i}")), replace: true);
        }

        Assert.Equal(500, index.Count);
        foreach (var i in new[] { 1, 17, 250, 500 })
        {
            Assert.Equal([(long)i], index.Search(scope, $"n{i}", 10, namesAsKeywords: false).Select(h => h.Id));
            Assert.Equal([(long)i], index.Search(scope, $"r2x{i}", 10, namesAsKeywords: false).Select(h => h.Id));
            Assert.Empty(index.Search(scope, $"r0x{i} r1x{i}", 10, namesAsKeywords: false));
        }
    }

    [Fact]
    public void Add_OtherPartition_Refused()
    {
        var index = new KeywordIndex(Ann);
        var bob = Record(1, "hello") with { Partition = new MemoryPartition("default", "elena", "bob") };

        var error = Assert.Throws<ArgumentException>(() => index.Add([bob]));

        Assert.Contains("bob", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_WordInMostMemories_FindsNothingAlone()
    {
        var index = new KeywordIndex(Ann);
        index.Add(Enumerable.Range(1, 400).Select(i => Record(i, i % 400 == 0 ? "really unusual zeppelin" : "really nice day")));
        var scope = new RecallScope(Ann, "dm", PrivacyLevel.DirectMessage);

        Assert.Empty(index.Search(scope, "really", 10, namesAsKeywords: false));
        Assert.Equal([400L], index.Search(scope, "really zeppelin", 10, namesAsKeywords: false).Select(h => h.Id));
    }
}
