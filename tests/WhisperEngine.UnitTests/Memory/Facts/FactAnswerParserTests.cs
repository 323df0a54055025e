using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.UnitTests.Memory.Facts;

public sealed class FactAnswerParserTests
{
    private static readonly FactRecord Job = new()
    {
        Id = 7,
        Owner = new FactOwner("default", "elena", "ann"),
        Subject = FactSubject.User,
        Key = "job",
        Value = "nurse",
        Confidence = 0.9,
        Source = "user",
        Privacy = PrivacyLevel.DirectMessage,
        ChannelId = "dm",
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private static readonly Dictionary<long, FactRecord> Known = new() { [7] = Job };
    private static readonly HashSet<long> Messages = [100, 101];

    private static List<string> Errors(string answer)
    {
        Assert.False(FactAnswerParser.TryParse(answer, Known, Messages, out var proposals, out var errors));
        Assert.Empty(proposals);
        return errors;
    }

    [Fact]
    public void TryParse_EmptyOperations_Valid()
    {
        Assert.True(FactAnswerParser.TryParse("""{"operations": []}""", Known, Messages, out var proposals, out var errors));
        Assert.Empty(proposals);
        Assert.Empty(errors);
    }

    [Fact]
    public void TryParse_AddAndUpdate_ReadWithNormalisedKey()
    {
        const string answer = """
            {"operations": [
              {"op": "ADD", "id": null, "subject": "bot", "key": "Promised Call", "value": " Friday ", "confidence": 0.8, "reason": null, "evidence": [101]},
              {"op": "update", "id": 7, "subject": null, "key": "job", "value": "doctor", "confidence": 1, "reason": "new job", "evidence": null}
            ]}
            """;

        Assert.True(FactAnswerParser.TryParse(answer, Known, Messages, out var proposals, out var errors), string.Join("; ", errors));

        Assert.Equal((FactOperationKind.Add, FactSubject.Bot, "promised_call", "Friday", 0.8), (proposals[0].Kind, proposals[0].Subject, proposals[0].Key, proposals[0].Value, proposals[0].Confidence));
        Assert.Equal([101L], proposals[0].Evidence);
        Assert.Equal((FactOperationKind.Update, 7L, "doctor", "new job"), (proposals[1].Kind, proposals[1].TargetId, proposals[1].Value, proposals[1].Reason));
    }

    [Fact]
    public void TryParse_OneFactChangedTwice_Refused()
    {
        var errors = Errors("""
            {"operations": [
              {"op": "update", "id": 7, "value": "doctor", "confidence": 1},
              {"op": "retire", "id": 7, "reason": "x"}
            ]}
            """);

        Assert.Equal(["fact 7 is changed by two operations; give each fact one operation"], errors);
    }

    [Fact]
    public void TryParse_WrongTypesAndMissingFields_EachNamed()
    {
        var errors = Errors("""
            {"operations": [
              {"op": "add", "id": 3, "subject": "cat", "key": 5, "value": "", "confidence": "high", "evidence": [100]},
              {"op": "update", "value": "x", "confidence": 0.5},
              {"op": "retire", "id": 1.5},
              "add everything",
              {"id": 7}
            ]}
            """);

        Assert.Contains("operations[0].id: must be null for add (a new fact gets its id when stored); to change fact 3 use update", errors);
        Assert.Contains("operations[0].subject: 'cat' is not user or bot", errors);
        Assert.Contains("operations[0].key: expected a string or null, found a number", errors);
        Assert.Contains("operations[0].value: required for add; a non-empty string", errors);
        Assert.Contains("operations[0].confidence: expected a number or null, found a string", errors);
        Assert.Contains("operations[1].id: required for update; the id of a known fact", errors);
        Assert.Contains("operations[2].id: expected an integer or null, found 1.5", errors);
        Assert.Contains("operations[3]: expected an object, found a string", errors);
        Assert.Contains("operations[4].op: required; one of add, update, retire", errors);
    }

    [Fact]
    public void TryParse_UnknownIdsAndKeyMismatch_Refused()
    {
        var errors = Errors("""
            {"operations": [
              {"op": "update", "id": 7, "key": "lives_in", "value": "Paris", "confidence": 0.9},
              {"op": "add", "subject": "user", "key": "pet", "value": "dog", "confidence": 0.9, "evidence": [55]}
            ]}
            """);

        Assert.Contains(errors, e => e.StartsWith("operations[0].key: 'lives_in' does not match fact 7, whose key is 'job'", StringComparison.Ordinal));
        Assert.Contains("operations[1].evidence: 55 is not the id of a message shown", errors);
    }

    [Fact]
    public void TryParse_NotTheObject_Refused()
    {
        Assert.Equal(["the answer must be a JSON object with an \"operations\" array"], Errors("""[{"op": "add"}]"""));
        Assert.StartsWith("the answer is not valid JSON", Errors("{\"operations\": [").Single(), StringComparison.Ordinal);
        Assert.StartsWith("the answer is empty", Errors("  ").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TooManyOperations_Refused()
    {
        var ops = string.Join(",", Enumerable.Range(0, FactAnswerParser.MaxOperations + 1)
            .Select(i => $$"""{"op": "add", "subject": "user", "key": "k{{i}}", "value": "v", "confidence": 0.9}"""));

        Assert.Contains("at most 50", Errors($$"""{"operations": [{{ops}}]}""").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("```json\n{\"operations\": []}\n```")]
    [InlineData("```\n{\"operations\": []}```")]
    [InlineData("  {\"operations\": []}  ")]
    public void StripFence_FencedOrPadded_TheJson(string answer) => Assert.Equal("{\"operations\": []}", FactAnswerParser.StripFence(answer));
}
