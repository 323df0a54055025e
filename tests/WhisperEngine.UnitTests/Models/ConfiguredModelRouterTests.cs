using WhisperEngine.Core.Models;
using WhisperEngine.Core.Turns;

namespace WhisperEngine.UnitTests.Models;

public sealed class ConfiguredModelRouterTests
{
    private static ModelRequest Request(string? requested = null, params string[] preferred) =>
        new(TestCharacters.Named("ada", preferred), "chat", requested, 100);

    [Fact]
    public void Route_RequestedModel_WinsOverConfiguredAndPreferred()
    {
        var router = new ConfiguredModelRouter("configured", []);

        var route = router.Route(Request("requested", "preferred"));

        Assert.Equal(["requested"], route.Models);
        Assert.Equal("requested", route.Primary);
        Assert.Contains("requested", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_NoRequest_ConfiguredModelWinsOverPreferred()
    {
        var router = new ConfiguredModelRouter("configured", []);

        var route = router.Route(Request(null, "preferred-1", "preferred-2"));

        Assert.Equal(["configured"], route.Models);
        Assert.Contains("configured", route.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Route_NothingConfiguredOrRequested_UsesPreferredModelsInOrder(string? configured)
    {
        var router = new ConfiguredModelRouter(configured, []);

        var route = router.Route(Request("  ", "preferred-1", "preferred-2"));

        Assert.Equal(["preferred-1", "preferred-2"], route.Models);
        Assert.Contains("'ada'", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_Fallbacks_AreAppendedAfterThePrimaryWithoutDuplicates()
    {
        var router = new ConfiguredModelRouter(null, ["fallback-1", "preferred-2", "fallback-1", "fallback-2"]);

        var route = router.Route(Request(null, "preferred-1", "preferred-2"));

        Assert.Equal(["preferred-1", "preferred-2", "fallback-1", "fallback-2"], route.Models);
        Assert.Contains("fallbacks: preferred-2, fallback-1, fallback-2", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_FallbackEqualToRequestedModel_IsNotRepeated()
    {
        var router = new ConfiguredModelRouter("configured", ["requested", "other"]);

        var route = router.Route(Request("requested"));

        Assert.Equal(["requested", "other"], route.Models);
    }

    [Fact]
    public void Route_OnlyFallbacksConfigured_UsesThem()
    {
        var router = new ConfiguredModelRouter(null, ["fallback-1"]);

        var route = router.Route(Request());

        Assert.Equal(["fallback-1"], route.Models);
    }

    [Fact]
    public void Route_NothingConfigured_ThrowsNotConfiguredNamingTheSetting()
    {
        var router = new ConfiguredModelRouter(null, []);

        var ex = Assert.Throws<TurnException>(() => router.Route(Request()));

        Assert.Equal(TurnErrorKind.NotConfigured, ex.Kind);
        Assert.Contains("LLM_CHAT_MODEL", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }
}
