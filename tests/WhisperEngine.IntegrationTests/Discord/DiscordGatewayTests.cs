using WhisperEngine.Discord;
using WhisperEngine.Discord.Gateway;
using WhisperEngine.Testing.Discord;

namespace WhisperEngine.IntegrationTests.Discord;

public sealed class DiscordGatewayTests
{
    private const string Channel = "400000000000000001";
    private const string Guild = "200000000000000001";
    private const string User = "500000000000000001";

    [Fact]
    public async Task RunAsync_Connect_IdentifiesWithIntentsAndShardAndHeartbeatsWithSequence()
    {
        await using var harness = await DiscordHarness.StartAsync(new DiscordSimulatorOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200) });

        var gateway = await harness.ConnectAsync();
        var guild = await gateway.NextAsync(GatewayEvents.GuildCreate);

        var connection = Assert.Single(harness.Simulator.Connections);
        Assert.Equal("/gateway", connection.Path);
        Assert.Equal("?v=10&encoding=json", connection.Query);
        var identify = Assert.Single(harness.Simulator.Identifies).Data;
        Assert.Equal(harness.Simulator.Options.Token, identify.GetProperty("token").GetString());
        Assert.Equal((1 << 0) | (1 << 9) | (1 << 12) | (1 << 15), identify.GetProperty("intents").GetInt32());
        Assert.Equal([0, 1], identify.GetProperty("shard").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("WhisperEngine", identify.GetProperty("properties").GetProperty("browser").GetString());
        Assert.Equal(GatewayState.Ready, gateway.State);
        Assert.Equal(harness.Simulator.SessionId(), gateway.SessionId);
        Assert.Equal(harness.Simulator.Options.BotUserId, gateway.CurrentUser?.Id);
        Assert.Equal(Guild, guild.Guild?.Id);

        await harness.Simulator.WaitForAsync(() => harness.Simulator.Heartbeats.Any(h => h.Data.ValueKind == System.Text.Json.JsonValueKind.Number), "a heartbeat with a sequence");
        Assert.Equal(2, harness.Simulator.Heartbeats.Last().Data.GetInt32());
        Assert.Empty(harness.Simulator.Resumes);
    }

    [Fact]
    public async Task Dispatches_MessageCreate_ArrivesParsedInOrder()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var gateway = await harness.ConnectAsync();

        var first = await harness.Simulator.SendMessageAsync(Channel, User, "hello bot", Guild, mentionsBot: true);
        var second = await harness.Simulator.SendMessageAsync("600000000000000001", User, "a private word");

        var guildMessage = await gateway.NextAsync(GatewayEvents.MessageCreate);
        var directMessage = await gateway.NextAsync(GatewayEvents.MessageCreate);
        Assert.Equal(first, guildMessage.Message!.Id);
        Assert.Equal(Channel, guildMessage.Message.ChannelId);
        Assert.Equal(Guild, guildMessage.Message.GuildId);
        Assert.Equal(User, guildMessage.Message.Author.Id);
        Assert.False(guildMessage.Message.Author.IsBot);
        Assert.EndsWith("hello bot", guildMessage.Message.Content, StringComparison.Ordinal);
        Assert.True(guildMessage.Message.MentionsUser(harness.Simulator.Options.BotUserId));
        Assert.Equal(second, directMessage.Message!.Id);
        Assert.True(directMessage.Message.IsDirect);
        Assert.Equal(guildMessage.Sequence + 1, directMessage.Sequence);
        Assert.Equal(directMessage.Sequence, gateway.Sequence);
    }

    [Fact]
    public async Task RunAsync_DroppedConnection_ResumesAtResumeUrlWithSessionAndSequenceAndGetsMissedEvents()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var gateway = await harness.ConnectAsync();
        await gateway.NextAsync(GatewayEvents.GuildCreate);
        var session = gateway.SessionId;
        var sequence = gateway.Sequence;

        harness.Simulator.DropConnections();
        var missed = await harness.Simulator.SendMessageAsync(Channel, User, "sent while you were away", Guild);

        var replayed = await gateway.NextAsync(GatewayEvents.MessageCreate);
        await gateway.NextAsync(GatewayEvents.Resumed);
        Assert.Equal(missed, replayed.Message!.Id);
        var resume = Assert.Single(harness.Simulator.Resumes).Data;
        Assert.Equal(session, resume.GetProperty("session_id").GetString());
        Assert.Equal(sequence, resume.GetProperty("seq").GetInt32());
        Assert.Equal(harness.Simulator.Options.Token, resume.GetProperty("token").GetString());
        Assert.Equal("/gateway-resume", harness.Simulator.Connections[1].Path);
        Assert.Single(harness.Simulator.Identifies);
        Assert.Equal(session, gateway.SessionId);
        Assert.Equal(GatewayState.Ready, gateway.State);
    }

    [Fact]
    public async Task RunAsync_NoHeartbeatAck_ClosesZombieWithNon1000CodeAndResumes()
    {
        await using var harness = await DiscordHarness.StartAsync(new DiscordSimulatorOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(150) });
        var gateway = await harness.ConnectAsync();
        var session = gateway.SessionId;

        harness.Simulator.StopAckingHeartbeats();

        await gateway.NextAsync(GatewayEvents.Resumed);
        var zombie = harness.Simulator.Connections[0];
        Assert.NotNull(zombie.ClosedAt);
        Assert.NotNull(zombie.ClientCloseCode);
        Assert.NotEqual(1000, zombie.ClientCloseCode);
        Assert.NotEqual(1001, zombie.ClientCloseCode);
        Assert.Equal(session, Assert.Single(harness.Simulator.Resumes).Data.GetProperty("session_id").GetString());
        Assert.Single(harness.Simulator.Identifies);
        await harness.GatewayLog.WaitForEventAsync(5005);
    }

    [Fact]
    public async Task RunAsync_HungServer_CutsTheConnectionAndResumesOnANewOne()
    {
        await using var harness = await DiscordHarness.StartAsync(new DiscordSimulatorOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(150) });
        var gateway = await harness.ConnectAsync();

        harness.Simulator.FreezeConnections();

        await gateway.NextAsync(GatewayEvents.Resumed);
        Assert.Equal(2, harness.Simulator.Connections.Count);
        Assert.Single(harness.Simulator.Resumes);
        Assert.Single(harness.Simulator.Identifies);
    }

    [Fact]
    public async Task RunAsync_ReconnectRequest_ClosesAndResumes()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var gateway = await harness.ConnectAsync();

        await harness.Simulator.SendReconnectAsync();

        await gateway.NextAsync(GatewayEvents.Resumed);
        Assert.Equal(2, harness.Simulator.Connections.Count);
        Assert.NotEqual(1000, harness.Simulator.Connections[0].ClientCloseCode);
        Assert.Single(harness.Simulator.Resumes);
        Assert.Single(harness.Simulator.Identifies);
    }

    [Fact]
    public async Task RunAsync_InvalidSessionNotResumable_IdentifiesANewSession()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var gateway = await harness.ConnectAsync();
        var first = gateway.SessionId;

        await harness.Simulator.SendInvalidSessionAsync(resumable: false);

        var ready = await gateway.NextAsync(GatewayEvents.Ready, d => d.Ready!.SessionId != first);
        Assert.Equal(2, harness.Simulator.Identifies.Count);
        Assert.Empty(harness.Simulator.Resumes);
        Assert.Equal(ready.Ready!.SessionId, gateway.SessionId);
        Assert.Equal(1, ready.Sequence);
    }

    [Fact]
    public async Task RunAsync_InvalidSessionResumable_Resumes()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var gateway = await harness.ConnectAsync();

        await harness.Simulator.SendInvalidSessionAsync(resumable: true);

        await gateway.NextAsync(GatewayEvents.Resumed);
        Assert.Single(harness.Simulator.Identifies);
        Assert.Single(harness.Simulator.Resumes);
    }

    [Theory]
    [InlineData(4000, false, 1)]
    [InlineData(4008, false, 1)]
    [InlineData(4007, true, 0)]
    [InlineData(4009, true, 0)]
    [InlineData(1000, true, 1)] // the session ended server-side: the resume attempt gets Invalid Session, then Identify
    public async Task RunAsync_RecoverableCloseCode_ResumesOrStartsANewSessionAsDocumented(int code, bool newSession, int resumes)
    {
        await using var harness = await DiscordHarness.StartAsync();
        var gateway = await harness.ConnectAsync();
        var first = gateway.SessionId;

        await harness.Simulator.CloseWithAsync(code);

        if (newSession)
        {
            await gateway.NextAsync(GatewayEvents.Ready, d => d.Ready!.SessionId != first);
        }
        else
        {
            await gateway.NextAsync(GatewayEvents.Resumed);
        }

        Assert.Equal(newSession ? 2 : 1, harness.Simulator.Identifies.Count);
        Assert.Equal(resumes, harness.Simulator.Resumes.Count);
    }

    [Fact]
    public async Task RunAsync_Close4004_StopsWithTheSettingToFixAndNoReconnect()
    {
        const string token = "MTA5ODc2NTQzMjE.secret-token-value";
        await using var harness = await DiscordHarness.StartAsync(new DiscordSimulatorOptions { Token = token });
        var gateway = await harness.ConnectAsync();

        await harness.Simulator.CloseWithAsync(4004, "Authentication failed");

        var error = await Assert.ThrowsAsync<DiscordException>(() => harness.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(4004, error.CloseCode);
        Assert.False(error.IsTransient);
        Assert.Contains("DISCORD_BOT_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(GatewayState.Stopped, gateway.State);
        await Assert.ThrowsAsync<DiscordException>(async () =>
        {
            await foreach (var _ in gateway.Dispatches.ReadAllAsync())
            {
            }
        });
        await Task.Delay(300);
        Assert.Single(harness.Simulator.Connections);
        Assert.DoesNotContain(token, harness.GatewayLog.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(token, harness.RestLog.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MessageContentIntentNotEnabled_StopsNamingThePortalSwitch()
    {
        await using var harness = await DiscordHarness.StartAsync(new DiscordSimulatorOptions { AllowPrivilegedIntents = false });
        harness.StartShard();

        var error = await Assert.ThrowsAsync<DiscordException>(() => harness.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(4014, error.CloseCode);
        Assert.Contains("Message Content intent", error.Message, StringComparison.Ordinal);
        Assert.Contains("Privileged Gateway Intents", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DiscordException>(() => harness.Gateway.WaitUntilReadyAsync());
        Assert.Single(harness.Simulator.Connections);
    }

    [Fact]
    public async Task RunAsync_ShardingRequired_StopsNamingTheRecommendedShardCount()
    {
        await using var harness = await DiscordHarness.StartAsync(new DiscordSimulatorOptions { RequiredShardCount = 2, RecommendedShards = 2 });
        harness.StartShard();

        var error = await Assert.ThrowsAsync<DiscordException>(() => harness.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(4011, error.CloseCode);
        Assert.Contains("DISCORD_SHARD_COUNT to 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WrongToken_StopsAtGatewayBotWithTheSettingToFix()
    {
        const string wrong = "wrong-token-0123456789";
        await using var harness = await DiscordHarness.StartAsync(clientToken: wrong);
        harness.StartShard();

        var error = await Assert.ThrowsAsync<DiscordException>(() => harness.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(401, error.StatusCode);
        Assert.Contains("DISCORD_BOT_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(harness.Simulator.Connections);
        Assert.Single(harness.Simulator.Requests);
    }

    [Fact]
    public async Task RunAsync_TwoShardsWithMaxConcurrencyOne_SpaceIdentifiesAndSplitGuilds()
    {
        const string guildOfShard1 = "200000000004194304"; // (id >> 22) % 2 == 1
        await using var harness = await DiscordHarness.StartAsync(new DiscordSimulatorOptions
        {
            RecommendedShards = 2,
            Guilds = [Guild, guildOfShard1],
        });
        var window = TimeSpan.FromMilliseconds(400);
        var queue = new IdentifyQueue(interval: window);

        var shard0 = harness.StartShard(0, 2, queue);
        var shard1 = harness.StartShard(1, 2, queue);
        await Task.WhenAll(shard0.WaitUntilReadyAsync(), shard1.WaitUntilReadyAsync()).WaitAsync(TimeSpan.FromSeconds(10));

        var identifies = harness.Simulator.Identifies;
        Assert.Equal(2, identifies.Count);
        Assert.Equal([0, 1], identifies.Select(i => i.Data.GetProperty("shard")[0].GetInt32()).Order());
        Assert.True(identifies[1].ReceivedAt - identifies[0].ReceivedAt >= window - TimeSpan.FromMilliseconds(100),
            $"identifies {(identifies[1].ReceivedAt - identifies[0].ReceivedAt).TotalMilliseconds} ms apart");
        Assert.Equal(Guild, (await shard0.NextAsync(GatewayEvents.GuildCreate)).Guild!.Id);
        Assert.Equal(guildOfShard1, (await shard1.NextAsync(GatewayEvents.GuildCreate)).Guild!.Id);

        var id = await harness.Simulator.SendMessageAsync(Channel, User, "for shard one", guildOfShard1);
        Assert.Equal(id, (await shard1.NextAsync(GatewayEvents.MessageCreate)).Message!.Id);
    }

    [Fact]
    public async Task RunAsync_Cancelled_ClosesWith1000AndReturns()
    {
        var harness = await DiscordHarness.StartAsync();
        var gateway = await harness.ConnectAsync();

        await harness.DisposeAsync();

        Assert.Equal(GatewayState.Stopped, gateway.State);
        Assert.True(harness.Run.IsCompletedSuccessfully);
        Assert.Equal(1000, Assert.Single(harness.Simulator.Connections).ClientCloseCode);
    }
}
