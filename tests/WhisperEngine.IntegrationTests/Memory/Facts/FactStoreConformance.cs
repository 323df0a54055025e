using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Facts;

namespace WhisperEngine.IntegrationTests.Memory.Facts;

/// <summary>
/// What every <see cref="IFactStore"/> must do: one active value per owner, subject and key; batches all-or-nothing;
/// owners isolated; history kept until deleted. A backend subclasses this with a fresh, empty store per test.
/// </summary>
public abstract class FactStoreConformance : IAsyncLifetime
{
    protected static readonly FactOwner Ann = new("default", "elena", "ann");
    protected static readonly FactOwner Bob = new("default", "elena", "bob");

    private IFactStore? _store;

    protected IFactStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A new, empty store of the backend under test.</summary>
    protected abstract Task<IFactStore> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract Task DisposeStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public Task DisposeAsync() => DisposeStoreAsync();

    protected static NewFact Fact(string key, string value, double confidence = 0.9, FactSubject subject = FactSubject.User,
        PrivacyLevel privacy = PrivacyLevel.DirectMessage, string channel = "dm", string source = "message:1") =>
        new(subject, key, value, confidence, source, privacy, channel);

    [Fact]
    public async Task Add_ThenGetActive_ReturnsEveryField()
    {
        var stored = await Store.AddAsync(Ann, Fact("Lives In", " Lisbon ", 0.8, FactSubject.User, PrivacyLevel.PrivateChannel, "staff", "message:4,7"));

        var fact = Assert.Single(await Store.GetActiveAsync(Ann));
        Assert.Equal(stored.Id, fact.Id);
        Assert.Equal(("lives_in", "Lisbon", 0.8, "message:4,7"), (fact.Key, fact.Value, fact.Confidence, fact.Source));
        Assert.Equal((FactSubject.User, PrivacyLevel.PrivateChannel, "staff"), (fact.Subject, fact.Privacy, fact.ChannelId));
        Assert.Equal(Ann, fact.Owner);
        Assert.True(fact.IsActive);
        Assert.Null(fact.SupersededBy);
        Assert.Equal(fact.CreatedAt, fact.UpdatedAt);
    }

    [Fact]
    public async Task Add_NewValueForKey_SupersedesTheOldOne()
    {
        var london = await Store.AddAsync(Ann, Fact("lives_in", "London"));
        var paris = await Store.AddAsync(Ann, Fact("lives-in", "Paris"));

        var active = Assert.Single(await Store.GetActiveAsync(Ann));
        Assert.Equal((paris.Id, "Paris"), (active.Id, active.Value));
        var old = (await Store.GetAllAsync(Ann)).Single(f => f.Id == london.Id);
        Assert.False(old.IsActive);
        Assert.Equal(paris.Id, old.SupersededBy);
    }

    [Fact]
    public async Task Add_SameValueAgain_ConfirmsWithoutASecondRow()
    {
        var first = await Store.AddAsync(Ann, Fact("pet.dog.name", "Biscuit", 0.7));
        var again = await Store.AddAsync(Ann, Fact("pet.dog.name", "biscuit.", 0.95));

        Assert.Equal(first.Id, again.Id);
        var all = await Store.GetAllAsync(Ann);
        Assert.Equal(0.95, Assert.Single(all).Confidence);
    }

    [Fact]
    public async Task Add_SameKeyOtherSubject_BothActive()
    {
        await Store.AddAsync(Ann, Fact("favourite_colour", "green", subject: FactSubject.User));
        await Store.AddAsync(Ann, Fact("favourite_colour", "teal", subject: FactSubject.Bot));

        Assert.Equal(2, (await Store.GetActiveAsync(Ann)).Count);
    }

    [Fact]
    public async Task Add_InvalidFact_ThrowsAndStoresNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.AddAsync(Ann, Fact("job", "nurse", confidence: 1.5)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.AddAsync(Ann, Fact("!!!", "nurse")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.AddAsync(Ann, Fact("job", "   ")));

        Assert.Empty(await Store.GetAllAsync(Ann));
    }

    [Fact]
    public async Task Apply_Batch_AppliedInOrderAndMarkMoved()
    {
        var job = await Store.AddAsync(Ann, Fact("job", "nurse"));
        var car = await Store.AddAsync(Ann, Fact("car", "red Fiat"));
        var mark = new ExtractionMark(new ConversationKey("default", "elena", "ann", "dm"), 42);

        var result = await Store.ApplyAsync(Ann,
        [
            FactOperation.Retire(car.Id, "sold it"),
            FactOperation.Update(job.Id, Fact("job", "doctor")),
            FactOperation.Add(Fact("sister.name", "Maria")),
        ], mark);

        Assert.True(result.Applied);
        Assert.Equal(["doctor", "Maria"], result.Written.Select(f => f.Value));
        Assert.Equal([car.Id, job.Id], result.Retired);
        Assert.Equal(["Maria", "doctor"], (await Store.GetActiveAsync(Ann)).Select(f => f.Value).Order(StringComparer.Ordinal));
        var all = await Store.GetAllAsync(Ann);
        Assert.Equal("sold it", all.Single(f => f.Id == car.Id).RetiredReason);
        Assert.Null(all.Single(f => f.Id == car.Id).SupersededBy);
        Assert.Equal(all.Single(f => f.Value == "doctor").Id, all.Single(f => f.Id == job.Id).SupersededBy);
        Assert.Equal(42, await Store.GetExtractedUpToAsync(mark.Conversation));
    }

    [Fact]
    public async Task Apply_TargetNoLongerActive_NothingOfTheBatchStoredAndMarkUnchanged()
    {
        var job = await Store.AddAsync(Ann, Fact("job", "nurse"));
        await Store.AddAsync(Ann, Fact("job", "doctor"));
        var mark = new ExtractionMark(new ConversationKey("default", "elena", "ann", "dm"), 9);

        var result = await Store.ApplyAsync(Ann, [FactOperation.Add(Fact("city", "Porto")), FactOperation.Retire(job.Id)], mark);

        Assert.False(result.Applied);
        Assert.Contains(job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Conflict, StringComparison.Ordinal);
        Assert.Equal(["doctor"], (await Store.GetActiveAsync(Ann)).Select(f => f.Value));
        Assert.Equal(2, (await Store.GetAllAsync(Ann)).Count);
        Assert.Equal(0, await Store.GetExtractedUpToAsync(mark.Conversation));
    }

    [Fact]
    public async Task Apply_InvalidOperationLaterInBatch_ThrowsBeforeWritingAnything()
    {
        var job = await Store.AddAsync(Ann, Fact("job", "nurse"));

        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.ApplyAsync(Ann,
            [FactOperation.Add(Fact("city", "Porto")), FactOperation.Update(job.Id, Fact("job", "doctor", confidence: 2))]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.ApplyAsync(Ann,
            [FactOperation.Retire(job.Id), FactOperation.Update(job.Id, Fact("job", "doctor"))]));

        Assert.Equal(["nurse"], (await Store.GetAllAsync(Ann)).Select(f => f.Value));
    }

    [Fact]
    public async Task Apply_TargetOfAnotherOwner_Rejected()
    {
        var bobs = await Store.AddAsync(Bob, Fact("job", "pilot"));

        var result = await Store.ApplyAsync(Ann, [FactOperation.Retire(bobs.Id)]);

        Assert.False(result.Applied);
        Assert.True(Assert.Single(await Store.GetActiveAsync(Bob)).IsActive);
    }

    [Fact]
    public async Task Apply_UpdateWithSameValue_ConfirmsInPlace()
    {
        var job = await Store.AddAsync(Ann, Fact("job", "nurse", 0.6));

        var result = await Store.ApplyAsync(Ann, [FactOperation.Update(job.Id, Fact("ignored", "Nurse", 0.9))]);

        Assert.Equal((0, 1), (result.Written.Count, result.Confirmed));
        var fact = Assert.Single(await Store.GetAllAsync(Ann));
        Assert.Equal((job.Id, "nurse", 0.9), (fact.Id, fact.Value, fact.Confidence));
    }

    [Fact]
    public async Task Owners_AreIsolated_UsersBotsTenantsAndGlobal()
    {
        FactOwner[] owners =
        [
            Ann, Bob, new("default", "marcus", "ann"), new("acme", "elena", "ann"), FactOwner.Global("default", "elena"), FactOwner.Global("acme", "elena"),
        ];
        foreach (var owner in owners)
        {
            await Store.AddAsync(owner, Fact("lives_in", "city of " + owner));
        }

        foreach (var owner in owners)
        {
            var fact = Assert.Single(await Store.GetActiveAsync(owner));
            Assert.Equal("city of " + owner, fact.Value);
            Assert.Equal(owner, fact.Owner);
        }
    }

    [Fact]
    public async Task Delete_RemovesTheFactAndItsHistoryOnly()
    {
        await Store.AddAsync(Ann, Fact("lives_in", "London"));
        var paris = await Store.AddAsync(Ann, Fact("lives_in", "Paris"));
        var job = await Store.AddAsync(Ann, Fact("job", "nurse"));

        Assert.False(await Store.DeleteAsync(Bob, paris.Id));
        Assert.True(await Store.DeleteAsync(Ann, paris.Id));
        Assert.False(await Store.DeleteAsync(Ann, paris.Id));

        Assert.Equal([job.Id], (await Store.GetAllAsync(Ann)).Select(f => f.Id));
    }

    [Fact]
    public async Task DeleteAll_RemovesEveryFactAndMarkOfThePersonOnly()
    {
        var conversation = new ConversationKey("default", "elena", "ann", "dm");
        await Store.AddAsync(Ann, Fact("lives_in", "London"));
        await Store.AddAsync(Ann, Fact("lives_in", "Paris"));
        await Store.AddAsync(Bob, Fact("job", "pilot"));
        await Store.SetExtractedUpToAsync(new ExtractionMark(conversation, 12));

        Assert.Equal(2, await Store.DeleteAllAsync(Ann));

        Assert.Empty(await Store.GetAllAsync(Ann));
        Assert.Equal(0, await Store.GetExtractedUpToAsync(conversation));
        Assert.Single(await Store.GetAllAsync(Bob));
    }

    [Fact]
    public async Task GetOwners_FactsOrMarksOfThePerson_EveryBotInOrderOrOne()
    {
        await Store.AddAsync(new FactOwner("default", "zeta", "ann"), Fact("job", "nurse"));
        await Store.SetExtractedUpToAsync(new ExtractionMark(new ConversationKey("default", "Marcus", "ann", "dm"), 3));
        await Store.AddAsync(Ann, Fact("job", "nurse"));
        await Store.AddAsync(Ann, Fact("city", "Porto"));
        await Store.AddAsync(Bob, Fact("job", "pilot"));
        await Store.AddAsync(new FactOwner("acme", "elena", "ann"), Fact("job", "chef"));
        await Store.AddAsync(FactOwner.Global("default", "elena"), Fact("home_town", "Valencia", subject: FactSubject.Bot));

        // Ordinal order, as SQLite sorts: upper case first.
        Assert.Equal(["Marcus", "elena", "zeta"], (await Store.GetOwnersAsync("default", "ann")).Select(o => o.BotId));
        Assert.Equal([Ann], await Store.GetOwnersAsync("default", "ann", "elena"));
        Assert.Empty(await Store.GetOwnersAsync("default", "cy"));
    }

    [Fact]
    public async Task ExtractionMark_NeverMovesBack()
    {
        var conversation = new ConversationKey("default", "elena", "ann", "general");
        await Store.SetExtractedUpToAsync(new ExtractionMark(conversation, 30));
        await Store.SetExtractedUpToAsync(new ExtractionMark(conversation, 20));

        Assert.Equal(30, await Store.GetExtractedUpToAsync(conversation));
        Assert.Equal(0, await Store.GetExtractedUpToAsync(conversation with { ChannelId = "dm" }));
    }

    [Fact]
    public async Task Add_ConcurrentValuesForOneKey_ExactlyOneActive()
    {
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () => await Store.AddAsync(Ann, Fact("mood.song", "song " + i)))));

        Assert.Single(await Store.GetActiveAsync(Ann));
        var all = await Store.GetAllAsync(Ann);
        Assert.Equal(12, all.Count);
        Assert.All(all.Where(f => !f.IsActive), f => Assert.NotNull(f.SupersededBy));
    }
}
