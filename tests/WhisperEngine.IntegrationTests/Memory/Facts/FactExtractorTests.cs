using System.Text.Json;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Testing;

namespace WhisperEngine.IntegrationTests.Memory.Facts;

/// <summary>Fact extraction through the engine's chat pipeline, against scripted model answers: good, malformed, contradictory, partly valid.</summary>
public sealed class FactExtractorTests
{
    private static string Add(string key, string value, double confidence, long evidence, string subject = "user") =>
        $$"""{"op": "add", "id": null, "subject": "{{subject}}", "key": "{{key}}", "value": "{{value}}", "confidence": {{confidence.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "reason": null, "evidence": [{{evidence}}]}""";

    private static string Update(long id, string value, double confidence, long evidence) =>
        $$"""{"op": "update", "id": {{id}}, "subject": null, "key": null, "value": "{{value}}", "confidence": {{confidence.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "reason": "moved", "evidence": [{{evidence}}]}""";

    private static string Answer(params string[] operations) => $$"""{"operations": [{{string.Join(", ", operations)}}]}""";

    [Fact]
    public async Task Extract_GoodAnswer_StoresFactsWithSourcePrivacyAndLedgerTask()
    {
        await using var h = await FactHarness.StartAsync();
        var messages = await h.ConversationAsync(FactHarness.Dm, "My dog Biscuit turned five today!", "Happy birthday to Biscuit!", "I work as a nurse in Leeds.");
        h.Model.Enqueue(FakeReply.Text(Answer(Add("pet.dog.name", "Biscuit", 1.0, messages[0].Id), Add("Job Title", "nurse", 0.9, messages[2].Id))));

        var result = await h.Extractor.ExtractAsync(FactHarness.Dm, messages);

        Assert.Equal((FactExtractionOutcome.Applied, 1, 2), (result.Outcome, result.Attempts, result.Written));
        var facts = await h.ActiveAsync();
        Assert.Equal(["job_title = nurse", "pet.dog.name = Biscuit"], facts.Select(f => $"{f.Key} = {f.Value}").Order(StringComparer.Ordinal));
        var dog = facts.Single(f => f.Key == "pet.dog.name");
        Assert.Equal(($"message:{messages[0].Id}", PrivacyLevel.DirectMessage, "dm", FactSubject.User), (dog.Source, dog.Privacy, dog.ChannelId, dog.Subject));

        var request = Assert.Single(h.Model.Requests);
        Assert.Equal("cheap-model", request.Model);
        var format = request.Json!.Value.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("fact_operations", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Contains("I work as a nurse in Leeds.", request.Messages[^1].Content, StringComparison.Ordinal);
        var usage = Assert.Single(await h.LedgerAsync());
        Assert.Equal(("facts", "ann", "elena", "memory.facts.model"), (usage.Task, usage.UserId, usage.BotId, usage.RoutingReason));
        Assert.Equal(messages[^1].Id, await h.Facts.GetExtractedUpToAsync(new ConversationKey("default", "elena", "ann", "dm")));
    }

    [Fact]
    public async Task Extract_MalformedThenGood_RetriesOnceWithTheErrors()
    {
        await using var h = await FactHarness.StartAsync();
        var messages = await h.ConversationAsync(FactHarness.Dm, "I'm vegetarian since 2019.");
        h.Model.Enqueue(FakeReply.Text("Sure! Here are the facts: vegetarian"));
        h.Model.Enqueue(FakeReply.Text("```json\n" + Answer(Add("diet", "vegetarian", 1.0, messages[0].Id)) + "\n```"));

        var result = await h.Extractor.ExtractAsync(FactHarness.Dm, messages);

        Assert.Equal((FactExtractionOutcome.Applied, 2), (result.Outcome, result.Attempts));
        Assert.Equal(["vegetarian"], (await h.ActiveAsync()).Select(f => f.Value));
        var retry = h.Model.Requests[1].Messages;
        Assert.Equal("Sure! Here are the facts: vegetarian", retry[^2].Content);
        Assert.Contains("not valid JSON", retry[^1].Content, StringComparison.Ordinal);
        Assert.True(h.Log.Has(7102));
        Assert.Equal(2, (await h.LedgerAsync()).Count(u => u.Task == "facts"));
    }

    [Fact]
    public async Task Extract_MalformedTwice_DroppedWithWarningNothingStoredMessagesCountAsRead()
    {
        await using var h = await FactHarness.StartAsync();
        var messages = await h.ConversationAsync(FactHarness.Dm, "I have two cats.");
        h.Model.DefaultReply = FakeReply.Text("""{"facts": ["two cats"]}""");

        var result = await h.Extractor.ExtractAsync(FactHarness.Dm, messages);

        Assert.Equal((FactExtractionOutcome.Dropped, 2), (result.Outcome, result.Attempts));
        Assert.Contains(result.Errors, e => e.Contains("\"operations\" array", StringComparison.Ordinal));
        Assert.Equal(2, h.Model.RequestCount);
        Assert.Empty(await h.Facts.GetAllAsync(FactOwner.Of(FactHarness.Ann)));
        Assert.Contains(h.Log.Entries, e => e.EventId == 7101 && e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal(messages[0].Id, await h.Facts.GetExtractedUpToAsync(new ConversationKey("default", "elena", "ann", "dm")));
    }

    [Fact]
    public async Task Extract_PartlyValidBatchTwice_StoresNothingOfIt()
    {
        await using var h = await FactHarness.StartAsync();
        var messages = await h.ConversationAsync(FactHarness.Dm, "My sister Maria lives in Porto and I love jazz.");
        var id = messages[0].Id;
        // Two good operations beside a bad one, twice over (a different mistake each time): the whole batch is refused.
        h.Model.Enqueue(FakeReply.Text(Answer(Add("sister.name", "Maria", 1.0, id), Add("likes.music", "jazz", 0.9, id), Add("sister.city", "Porto", 1.4, id))));
        h.Model.Enqueue(FakeReply.Text(Answer(Add("sister.name", "Maria", 1.0, id), Update(999, "Porto", 0.9, id), """{"op": "merge", "id": null}""")));

        var result = await h.Extractor.ExtractAsync(FactHarness.Dm, messages);

        Assert.Equal(FactExtractionOutcome.Dropped, result.Outcome);
        Assert.Contains(result.Errors, e => e.Contains("999 is not the id of a known fact", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("'merge' is not one of add, update, retire", StringComparison.Ordinal));
        Assert.Contains("operations[2].confidence: 1.4 is outside 0 to 1", h.Model.Requests[1].Messages[^1].Content, StringComparison.Ordinal);
        Assert.Empty(await h.Facts.GetAllAsync(FactOwner.Of(FactHarness.Ann)));
    }

    [Fact]
    public async Task Extract_ContradictionAsUpdate_ReplacesTheOldValue()
    {
        await using var h = await FactHarness.StartAsync();
        var london = await h.Facts.AddAsync(FactOwner.Of(FactHarness.Ann), new NewFact(FactSubject.User, "lives_in", "London", 0.9, "message:1", PrivacyLevel.DirectMessage, "dm"));
        var messages = await h.ConversationAsync(FactHarness.Dm, "Big news: I moved to Paris last month.");
        h.Model.Enqueue(FakeReply.Text(Answer(Update(london.Id, "Paris", 1.0, messages[0].Id))));

        var result = await h.Extractor.ExtractAsync(FactHarness.Dm, messages);

        Assert.Equal((1, 1), (result.Written, result.Retired));
        var active = Assert.Single(await h.ActiveAsync());
        Assert.Equal(("lives_in", "Paris"), (active.Key, active.Value));
        var old = (await h.Facts.GetAllAsync(FactOwner.Of(FactHarness.Ann))).Single(f => f.Id == london.Id);
        Assert.Equal((false, active.Id, "moved"), (old.IsActive, old.SupersededBy, old.RetiredReason));
        Assert.Contains($"[{london.Id}] user lives_in = London", h.Model.Requests[0].Messages[^1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_ContradictionAsSecondAdd_StillOneValue()
    {
        await using var h = await FactHarness.StartAsync();
        await h.Facts.AddAsync(FactOwner.Of(FactHarness.Ann), new NewFact(FactSubject.User, "lives_in", "London", 0.9, "message:1", PrivacyLevel.DirectMessage, "dm"));
        var messages = await h.ConversationAsync(FactHarness.Dm, "I live in Paris now.");
        h.Model.Enqueue(FakeReply.Text(Answer(Add("lives in", "Paris", 0.95, messages[0].Id))));

        await h.Extractor.ExtractAsync(FactHarness.Dm, messages);

        Assert.Equal(["Paris"], (await h.ActiveAsync()).Select(f => f.Value));
    }

    [Fact]
    public async Task Extract_TwoValuesForOneKeyInOneAnswer_Refused()
    {
        await using var h = await FactHarness.StartAsync();
        var messages = await h.ConversationAsync(FactHarness.Dm, "I live in Paris, or maybe Lyon.");
        h.Model.DefaultReply = FakeReply.Text(Answer(Add("lives_in", "Paris", 0.9, messages[0].Id), Add("lives_in", "Lyon", 0.9, messages[0].Id)));

        var result = await h.Extractor.ExtractAsync(FactHarness.Dm, messages);

        Assert.Equal(FactExtractionOutcome.Dropped, result.Outcome);
        Assert.Contains(result.Errors, e => e.Contains("key 'lives_in' gets two values", StringComparison.Ordinal));
        Assert.Empty(await h.ActiveAsync());
    }

    [Fact]
    public async Task Extract_LowConfidence_LeftOut()
    {
        await using var h = await FactHarness.StartAsync();
        var messages = await h.ConversationAsync(FactHarness.Dm, "Maybe I'll take up pottery, who knows.");
        h.Model.Enqueue(FakeReply.Text(Answer(Add("hobby.pottery", "considering", 0.3, messages[0].Id), Add("hobby.reading", "yes", 0.8, messages[0].Id))));

        var result = await h.Extractor.ExtractAsync(FactHarness.Dm, messages);

        Assert.Equal((1, 1), (result.Written, result.BelowConfidence));
        Assert.Equal(["hobby.reading"], (await h.ActiveAsync()).Select(f => f.Key));
    }

    [Fact]
    public async Task Extract_InPublicChannel_NeverShowsOrChangesDirectMessageFacts()
    {
        await using var h = await FactHarness.StartAsync();
        var secret = await h.Facts.AddAsync(FactOwner.Of(FactHarness.Ann),
            new NewFact(FactSubject.User, "health.condition", "panic attacks", 1.0, "message:1", PrivacyLevel.DirectMessage, "dm"));
        var messages = await h.ConversationAsync(FactHarness.Public, "Anyone else love hiking?");
        h.Model.DefaultReply = FakeReply.Text(Answer($$"""{"op": "retire", "id": {{secret.Id}}, "subject": null, "key": null, "value": null, "confidence": null, "reason": null, "evidence": null}"""));

        var result = await h.Extractor.ExtractAsync(FactHarness.Public, messages);

        Assert.DoesNotContain("panic", h.Model.Requests[0].Body, StringComparison.Ordinal);
        Assert.Equal(FactExtractionOutcome.Dropped, result.Outcome);
        Assert.True(Assert.Single(await h.ActiveAsync()).IsActive);
    }

    [Fact]
    public async Task Extract_ModelFails_NothingStoredAndMessagesReadAgainNextTime()
    {
        await using var h = await FactHarness.StartAsync();
        var messages = await h.ConversationAsync(FactHarness.Dm, "I play the cello.");
        h.Model.DefaultReply = FakeReply.Error(503);

        var result = await h.Extractor.ExtractAsync(FactHarness.Dm, messages);

        Assert.Equal(FactExtractionOutcome.Failed, result.Outcome);
        Assert.True(h.Log.Has(7103));
        Assert.Equal(0, await h.Facts.GetExtractedUpToAsync(new ConversationKey("default", "elena", "ann", "dm")));
        Assert.Contains(await h.LedgerAsync(), u => u.Task == "facts" && u.Outcome == "http_503");
    }

    [Fact]
    public async Task Extract_StructuredOutputOff_SendsNoResponseFormat()
    {
        await using var h = await FactHarness.StartAsync(new FactOptions { Model = "cheap-model", StructuredOutput = false });
        var messages = await h.ConversationAsync(FactHarness.Dm, "I'm left-handed.");
        h.Model.Enqueue(FakeReply.Text(Answer()));

        var result = await h.Extractor.ExtractAsync(FactHarness.Dm, messages);

        Assert.Equal((FactExtractionOutcome.Applied, 0), (result.Outcome, result.Written));
        Assert.False(h.Model.Requests[0].Json!.Value.TryGetProperty("response_format", out _));
    }

    [Fact]
    public async Task Job_ReadsOnlyMessagesAfterTheMark()
    {
        await using var h = await FactHarness.StartAsync();
        var conversation = new ConversationKey("default", "elena", "ann", "dm");
        var first = await h.ConversationAsync(FactHarness.Dm, "I have a parrot called Kiwi.", "Lovely!");
        h.Model.Enqueue(FakeReply.Text(Answer(Add("pet.parrot.name", "Kiwi", 1.0, first[0].Id))));
        await h.Job.RunAsync(conversation, PrivacyLevel.DirectMessage);
        var second = await h.ConversationAsync(FactHarness.Dm, "Kiwi learnt to say hello.");
        h.Model.Enqueue(FakeReply.Text(Answer()));

        await h.Job.RunAsync(conversation, PrivacyLevel.DirectMessage);
        var third = await h.Job.RunAsync(conversation, PrivacyLevel.DirectMessage);

        Assert.Equal(FactExtractionOutcome.Skipped, third.Outcome);
        Assert.Equal(2, h.Model.RequestCount);
        var shown = h.Model.Requests[1].Messages[^1].Content!;
        Assert.Contains("Kiwi learnt to say hello.", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("I have a parrot called Kiwi.", shown, StringComparison.Ordinal);
        Assert.Contains("pet.parrot.name = Kiwi", shown, StringComparison.Ordinal);
        Assert.Equal(second[0].Id, await h.Facts.GetExtractedUpToAsync(conversation));
    }

    [Fact]
    public async Task Job_PersonForgottenDuringTheModelCall_StoresNothingNotEvenTheMark()
    {
        await using var h = await FactHarness.StartAsync();
        var conversation = new ConversationKey("default", "elena", "ann", "dm");
        var messages = await h.ConversationAsync(FactHarness.Dm, "I have a parrot called Kiwi.");
        h.Model.Enqueue(FakeReply.Text(Answer(Add("pet.parrot.name", "Kiwi", 1.0, messages[0].Id)), firstTokenDelay: TimeSpan.FromMilliseconds(600)));

        var job = h.Job.RunAsync(conversation, PrivacyLevel.DirectMessage);
        while (h.Model.RequestCount == 0)
        {
            await Task.Delay(10);
        }

        // An erasure as UserDataService runs it: holding the conversation, deleting the person's rows.
        await using (await h.Dispatcher.AcquireAllAsync([conversation]))
        {
            await h.Conversations.ForgetConversationAsync(conversation);
            await h.Facts.DeleteAllAsync(FactOwner.Of(FactHarness.Ann));
        }

        var result = await job;

        Assert.Equal(FactExtractionOutcome.SourceGone, result.Outcome);
        Assert.Empty(await h.Facts.GetOwnersAsync("default", "ann"));
        Assert.Equal(0, await h.Conversations.CountMessagesAsync(conversation));
        Assert.True(h.Log.Has(7108));
    }

    [Fact]
    public async Task Job_ConversationWithoutMessages_NeverCreatesIt()
    {
        await using var h = await FactHarness.StartAsync();
        var conversation = new ConversationKey("default", "elena", "ann", "gone");

        var result = await h.Job.RunAsync(conversation, PrivacyLevel.DirectMessage);

        Assert.Equal(FactExtractionOutcome.Skipped, result.Outcome);
        await using var connection = await h.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM conversations;";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
        Assert.Equal(0, h.Model.RequestCount);
    }

    [Fact]
    public void Schema_IsValidJsonWithEveryPropertyRequired()
    {
        var schema = FactAnswerSchema.Schema;
        var item = schema.GetProperty("properties").GetProperty("operations").GetProperty("items");
        var properties = item.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        var required = item.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(properties, required);
        Assert.Equal(JsonValueKind.False, item.GetProperty("additionalProperties").ValueKind);
    }
}
