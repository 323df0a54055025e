using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Records;

namespace WhisperEngine.UnitTests.Memory;

public sealed class RecallScopeTests
{
    private static readonly MemoryPartition Partition = new("t", "bot", "ann");

    [Theory]
    [InlineData(PrivacyLevel.DirectMessage, "dm", PrivacyLevel.DirectMessage, "dm", true)]
    [InlineData(PrivacyLevel.DirectMessage, "dm", PrivacyLevel.PrivateChannel, "staff", true)]
    [InlineData(PrivacyLevel.DirectMessage, "dm", PrivacyLevel.PublicChannel, "general", true)]
    [InlineData(PrivacyLevel.PrivateChannel, "staff", PrivacyLevel.DirectMessage, "dm", false)]
    [InlineData(PrivacyLevel.PrivateChannel, "staff", PrivacyLevel.PrivateChannel, "staff", true)]
    [InlineData(PrivacyLevel.PrivateChannel, "staff", PrivacyLevel.PrivateChannel, "mods", false)]
    [InlineData(PrivacyLevel.PrivateChannel, "staff", PrivacyLevel.PublicChannel, "general", true)]
    [InlineData(PrivacyLevel.PublicChannel, "general", PrivacyLevel.DirectMessage, "dm", false)]
    [InlineData(PrivacyLevel.PublicChannel, "general", PrivacyLevel.PrivateChannel, "general", false)]
    [InlineData(PrivacyLevel.PublicChannel, "general", PrivacyLevel.PublicChannel, "random", true)]
    public void Allows_MemoryFromChannel_FollowsPrivacyRule(PrivacyLevel scope, string scopeChannel, PrivacyLevel memory, string memoryChannel, bool allowed)
    {
        Assert.Equal(allowed, new RecallScope(Partition, scopeChannel, scope).Allows(memory, memoryChannel));
    }

    [Fact]
    public void Of_Conversation_PartitionIsTenantBotUser()
    {
        var scope = RecallScope.Of(new ConversationKey("acme", "elena", "ann", "c1"), PrivacyLevel.PublicChannel);

        Assert.Equal(new MemoryPartition("acme", "elena", "ann"), scope.Partition);
        Assert.Equal("c1", scope.ChannelId);
    }
}
