using WhisperEngine.Discord;
using WhisperEngine.Discord.Gateway;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.UnitTests.Discord;

public sealed class GatewayCloseCodesTests
{
    [Theory]
    [InlineData(4004)]
    [InlineData(4010)]
    [InlineData(4011)]
    [InlineData(4012)]
    [InlineData(4013)]
    [InlineData(4014)]
    public void Classify_CodesARetryCannotFix_AreFatal(int code)
    {
        Assert.Equal(CloseAction.Fatal, GatewayCloseCodes.Classify(code));
    }

    [Theory]
    [InlineData(4001)]
    [InlineData(4003)]
    [InlineData(4007)]
    [InlineData(4009)]
    public void Classify_CodesThatEndTheSession_StartANewOne(int code)
    {
        Assert.Equal(CloseAction.Reidentify, GatewayCloseCodes.Classify(code));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1006)]
    [InlineData(4000)]
    [InlineData(4002)]
    [InlineData(4005)]
    [InlineData(4008)]
    [InlineData(4999)]
    public void Classify_OtherCodes_Resume(int? code)
    {
        Assert.Equal(CloseAction.Resume, GatewayCloseCodes.Classify(code));
    }

    [Theory]
    [InlineData(4004, "DISCORD_BOT_TOKEN")]
    [InlineData(4010, "DISCORD_SHARD_ID")]
    [InlineData(4011, "DISCORD_SHARD_COUNT to 4")]
    [InlineData(4012, "v10")]
    [InlineData(4013, "intents")]
    [InlineData(4014, "Message Content intent")]
    public void FatalMessage_NamesWhatToFixAndNeverTheToken(int code, string fix)
    {
        var options = new DiscordGatewayOptions
        {
            Token = "the-secret-token",
            GatewayInfoProvider = _ => Task.FromResult(new GatewayBotInfo()),
            Intents = DiscordIntents.Default,
        };

        var message = GatewayCloseCodes.FatalMessage(code, options, recommendedShards: 4);

        Assert.Contains(fix, message, StringComparison.Ordinal);
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        Assert.DoesNotContain("the-secret-token", message, StringComparison.Ordinal);
    }
}
