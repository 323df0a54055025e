using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Privacy;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.IntegrationTests.Conformance;

/// <summary>
/// What every <see cref="IConversationStore"/> and <see cref="IUsageLedger"/> must do. Each backend subclasses this
/// with a store of its own (temp SQLite file, temp PostgreSQL schema).
/// </summary>
public abstract class ConversationStoreConformance : IAsyncLifetime
{
    protected IConversationStore Store { get; private set; } = null!;

    protected IUsageLedger Ledger { get; private set; } = null!;

    /// <summary>Creates the stores on fresh storage.</summary>
    protected abstract Task<(IConversationStore Store, IUsageLedger Ledger)> CreateAsync();

    /// <summary>Creates a second store on the same storage, as a restarted process would.</summary>
    protected abstract Task<IConversationStore> ReopenAsync();

    protected abstract Task DestroyAsync();

    public async Task InitializeAsync() => (Store, Ledger) = await CreateAsync();

    public Task DisposeAsync() => DestroyAsync();

    private static ConversationKey Key(string user, string channel = "terminal", string bot = "elena", string tenant = "default") =>
        new(tenant, bot, user, channel);

    [Fact]
    public async Task AppendMessage_ThenReopen_MessagesSurviveInOrder()
    {
        var conversation = await Store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        for (var i = 0; i < 5; i++)
        {
            await Store.AppendMessageAsync(conversation, new NewMessage(i % 2 == 0 ? MessageRole.User : MessageRole.Assistant, $"m{i}", i,
                i == 3 ? MessageFlags.Interrupted : MessageFlags.None, i % 2 == 0 ? null : "model-x"));
        }

        var reopened = await ReopenAsync();
        var again = await reopened.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        Assert.Equal(conversation.Id, again.Id);
        var messages = await reopened.GetRecentMessagesAsync(again, 10);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], messages.Select(m => m.Content));
        Assert.Equal(MessageRole.Assistant, messages[1].Role);
        Assert.Equal("model-x", messages[1].Model);
        Assert.Null(messages[0].Model);
        Assert.Equal(3, messages[3].TokenCount);
        Assert.Equal(MessageFlags.Interrupted, messages[3].Flags);
        Assert.True(messages.Zip(messages.Skip(1)).All(p => p.First.Id < p.Second.Id));
    }

    [Fact]
    public async Task AppendMessage_OlderFencingTokenThanOneAlreadyWritten_IsRefusedAndStoresNothing()
    {
        var conversation = await Store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        var other = await Store.GetOrCreateConversationAsync(Key("bob"), PrivacyLevel.DirectMessage);
        await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, "old holder", 1) { FencingToken = 10 });
        await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.Assistant, "old holder again", 1) { FencingToken = 10 });
        await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, "new holder", 1) { FencingToken = 11 });

        var refused = await Assert.ThrowsAsync<StaleFencingTokenException>(() =>
            Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.Assistant, "late write", 1) { FencingToken = 10 }).AsTask());

        Assert.Equal(10, refused.Token);
        await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.Assistant, "unfenced", 1));
        await Store.AppendMessageAsync(other, new NewMessage(MessageRole.User, "tokens are per conversation", 1) { FencingToken = 3 });
        var messages = await Store.GetRecentMessagesAsync(conversation, 10);
        Assert.Equal(["old holder", "old holder again", "new holder", "unfenced"], messages.Select(m => m.Content));
    }

    [Fact]
    public async Task GetRecentMessages_Limit_ReturnsNewestOldestFirst()
    {
        var conversation = await Store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        for (var i = 0; i < 10; i++)
        {
            await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, $"m{i}", 1));
        }

        var recent = await Store.GetRecentMessagesAsync(conversation, 3);
        Assert.Equal(["m7", "m8", "m9"], recent.Select(m => m.Content));
    }

    [Fact]
    public async Task AppendMessageAndReadRecent_ReturnsTheMessageAsStoredWithTheNewestOfItsConversationOnly()
    {
        var conversation = await Store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        var other = await Store.GetOrCreateConversationAsync(Key("bob"), PrivacyLevel.DirectMessage);
        for (var i = 0; i < 4; i++)
        {
            await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, $"m{i}", 1) { FencingToken = 5 });
            await Store.AppendMessageAsync(other, new NewMessage(MessageRole.User, $"bob{i}", 1));
        }

        var appended = await Store.AppendMessageAndReadRecentAsync(conversation,
            new NewMessage(MessageRole.User, "m4", 7, MessageFlags.InjectionSuspected) { FencingToken = 6 }, 3);

        Assert.Equal(conversation.Id, appended.Message.ConversationId);
        Assert.Equal(("m4", 7, MessageFlags.InjectionSuspected), (appended.Message.Content, appended.Message.TokenCount, appended.Message.Flags));
        Assert.Equal(["m2", "m3", "m4"], appended.Recent.Select(m => m.Content));
        Assert.Equal(appended.Message, appended.Recent[^1]);
        Assert.Equal(appended.Recent, await Store.GetRecentMessagesAsync(conversation, 3));
    }

    [Fact]
    public async Task AppendMessageAndReadRecent_OlderFencingTokenThanOneAlreadyWritten_IsRefusedAndStoresNothing()
    {
        var conversation = await Store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, "new holder", 1) { FencingToken = 11 });

        await Assert.ThrowsAsync<StaleFencingTokenException>(() =>
            Store.AppendMessageAndReadRecentAsync(conversation, new NewMessage(MessageRole.User, "late write", 1) { FencingToken = 10 }, 5).AsTask());

        Assert.Equal(["new holder"], (await Store.GetRecentMessagesAsync(conversation, 5)).Select(m => m.Content));
    }

    [Fact]
    public async Task AppendMessageAndReadRecent_ConversationErasedSinceLookedUp_StartsItAgain()
    {
        var conversation = await Store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, "before the erasure", 1) { FencingToken = 3 });
        await ((IUserDataParticipant)Store).EraseAsync(new UserDataScope("default", "ann"));

        var appended = await Store.AppendMessageAndReadRecentAsync(conversation, new NewMessage(MessageRole.User, "after", 1) { FencingToken = 4 }, 5);

        // SQLite may give the new conversation the erased one's id (its rowids are reused); what counts is that the
        // message lands in the conversation a lookup now finds, with nothing of the erased one.
        Assert.Equal(["after"], appended.Recent.Select(m => m.Content));
        var reopened = await (await ReopenAsync()).GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        Assert.Equal(appended.Message.ConversationId, reopened.Id);
    }

    [Fact]
    public async Task GetOrCreateConversation_SameKeyTwice_ReturnsOneConversationWithItsPrivacy()
    {
        var first = await Store.GetOrCreateConversationAsync(Key("ann", "c1"), PrivacyLevel.PublicChannel);
        var second = await (await ReopenAsync()).GetOrCreateConversationAsync(Key("ann", "c1"), PrivacyLevel.DirectMessage);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(PrivacyLevel.PublicChannel, second.Privacy);
    }

    [Fact]
    public async Task Conversations_OfOtherUsersBotsAndTenants_AreIsolated()
    {
        var keys = new[] { Key("ann"), Key("bob"), Key("ann", bot: "marcus"), Key("ann", tenant: "acme") };
        foreach (var key in keys)
        {
            var conversation = await Store.GetOrCreateConversationAsync(key, PrivacyLevel.DirectMessage);
            await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, $"secret of {key}", 2));
        }

        foreach (var key in keys)
        {
            var conversation = await Store.GetOrCreateConversationAsync(key, PrivacyLevel.DirectMessage);
            Assert.Equal([$"secret of {key}"], (await Store.GetRecentMessagesAsync(conversation, 10)).Select(m => m.Content));
            Assert.Equal(1, await Store.CountMessagesAsync(key));
        }
    }

    [Fact]
    public async Task MessageExists_OnlyInItsOwnConversationAndUntilForgotten()
    {
        var ann = await Store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        var message = await Store.AppendMessageAsync(ann, new NewMessage(MessageRole.User, "one", 1));

        Assert.True(await Store.MessageExistsAsync(Key("ann"), message.Id));
        Assert.False(await Store.MessageExistsAsync(Key("bob"), message.Id));
        Assert.False(await Store.MessageExistsAsync(Key("ann", "api"), message.Id));
        Assert.False(await Store.MessageExistsAsync(Key("ann"), message.Id + 1000));

        await Store.ForgetConversationAsync(Key("ann"));
        var again = await Store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        await Store.AppendMessageAsync(again, new NewMessage(MessageRole.User, "new start", 1));

        Assert.False(await Store.MessageExistsAsync(Key("ann"), message.Id));
    }

    [Fact]
    public async Task ForgetConversation_DeletesOnlyThatConversation()
    {
        var ann = await Store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        var annApi = await Store.GetOrCreateConversationAsync(Key("ann", "api"), PrivacyLevel.DirectMessage);
        await Store.AppendMessageAsync(ann, new NewMessage(MessageRole.User, "one", 1));
        await Store.AppendMessageAsync(ann, new NewMessage(MessageRole.Assistant, "two", 1));
        await Store.AppendMessageAsync(annApi, new NewMessage(MessageRole.User, "kept", 1));

        Assert.Equal(2, await Store.ForgetConversationAsync(Key("ann")));
        Assert.Equal(0, await Store.CountMessagesAsync(Key("ann")));
        Assert.Equal(1, await Store.CountMessagesAsync(Key("ann", "api")));
        Assert.Equal(0, await Store.ForgetConversationAsync(Key("nobody")));
    }

    [Fact]
    public async Task AppendMessage_ManyConcurrentWriters_AllStored()
    {
        var tasks = Enumerable.Range(0, 8).Select(async u =>
        {
            var conversation = await Store.GetOrCreateConversationAsync(Key($"user{u}"), PrivacyLevel.DirectMessage);
            for (var i = 0; i < 25; i++)
            {
                await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, $"u{u}-{i}", 1));
            }
        });
        await Task.WhenAll(tasks);

        for (var u = 0; u < 8; u++)
        {
            Assert.Equal(25, await Store.CountMessagesAsync(Key($"user{u}")));
        }
    }

    [Fact]
    public async Task AppendMessage_UnicodeAndLongText_RoundTripsExactly()
    {
        var text = "Ünïcödé 🐙 — \"quotes\" 'and' \\backslashes\\ \n\t" + new string('x', 20_000);
        var conversation = await Store.GetOrCreateConversationAsync(Key("ann"), PrivacyLevel.DirectMessage);
        await Store.AppendMessageAsync(conversation, new NewMessage(MessageRole.User, text, 5000));

        Assert.Equal(text, (await Store.GetRecentMessagesAsync(conversation, 1))[0].Content);
    }

    [Fact]
    public async Task UsageLedger_Record_ReadsBackNewestFirstWithEveryField()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        await Ledger.RecordAsync(new UsageRecord
        {
            Timestamp = at,
            TenantId = "default",
            BotId = "elena",
            UserId = "ann",
            Task = "chat",
            Model = "m1",
            Provider = "openrouter",
            PromptTokens = 100,
            CompletionTokens = 20,
            CachedTokens = 5,
            TokensEstimated = false,
            CostUsd = 0.000123m,
            CostSource = CostSources.Provider,
            LatencyMs = 812.5,
            TimeToFirstTokenMs = 101.25,
            Outcome = "ok",
            RoutingReason = "configured model",
        });
        await Ledger.RecordAsync(new UsageRecord
        {
            Timestamp = at.AddSeconds(1), TenantId = "default", BotId = "elena", UserId = "ann", Task = "chat", Model = "m2",
            Provider = "openrouter", TokensEstimated = true, LatencyMs = 3, Outcome = "http_429",
        });

        var records = await Ledger.GetRecentAsync(10);

        Assert.Equal(["m2", "m1"], records.Select(r => r.Model));
        var first = records[1];
        Assert.Equal(at, first.Timestamp);
        Assert.Equal((100, 20, 5), (first.PromptTokens, first.CompletionTokens, first.CachedTokens));
        Assert.Equal((0.000123m, CostSources.Provider), (first.CostUsd, first.CostSource));
        Assert.Null(records[0].CostSource);
        Assert.Equal(101.25, first.TimeToFirstTokenMs);
        Assert.Equal("configured model", first.RoutingReason);
        Assert.Null(records[0].CostUsd);
        Assert.Null(records[0].TimeToFirstTokenMs);
        Assert.True(records[0].TokensEstimated);
    }

    [Fact]
    public async Task UsageLedger_ReadAsync_StreamsTheRangeOldestFirst()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        for (var i = 0; i < 5; i++)
        {
            await Ledger.RecordAsync(new UsageRecord
            {
                Timestamp = at.AddMinutes(i), TenantId = "default", BotId = "elena", UserId = "ann", Task = "chat", Model = $"m{i}",
                Provider = "p", LatencyMs = i, Outcome = "ok",
            });
        }

        var all = new List<string>();
        await foreach (var record in Ledger.ReadAsync(null, null))
        {
            all.Add(record.Model);
        }

        var range = new List<string>();
        await foreach (var record in Ledger.ReadAsync(at.AddMinutes(1), at.AddMinutes(3)))
        {
            range.Add(record.Model);
        }

        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], all);
        Assert.Equal(["m1", "m2"], range);
    }
}
