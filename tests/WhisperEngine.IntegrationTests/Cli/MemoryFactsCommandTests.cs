using WhisperEngine.IntegrationTests.Support;

namespace WhisperEngine.IntegrationTests.Cli;

/// <summary><c>whisperengine memory facts</c>, run as a child process on a home of its own.</summary>
public sealed class MemoryFactsCommandTests : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    private Task<CliRunner.Result> RunAsync(params string[] args) => CliRunner.RunAsync(["memory", "facts", .. args, "--home", _home.Path]);

    [Fact]
    public async Task AddListRemove_PersonsFacts_RoundTrip()
    {
        var added = await RunAsync("add", "--user", "ann", "Allergic to peanuts");
        var keyed = await RunAsync("add", "--user", "ann", "--key", "Lives In", "Lisbon");
        var moved = await RunAsync("add", "--user", "ann", "--key", "lives_in", "Porto");
        var other = await RunAsync("list", "--user", "bob");
        var list = await RunAsync("list", "--user", "ann");
        var all = await RunAsync("list", "--user", "ann", "--all");

        Assert.Equal(0, added.ExitCode);
        Assert.StartsWith("Fact 1 of user ann with bot elena: note.allergic_to_peanuts = Allergic to peanuts", added.Output, StringComparison.Ordinal);
        Assert.Equal((0, 0), (keyed.ExitCode, moved.ExitCode));
        Assert.Contains("No facts for user bob with bot elena.", other.Output, StringComparison.Ordinal);
        Assert.Contains("Porto", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Lisbon", list.Output, StringComparison.Ordinal);
        Assert.Contains("Lisbon", all.Output, StringComparison.Ordinal);
        Assert.Contains("replaced by 3", all.Output, StringComparison.Ordinal);

        var removed = await RunAsync("remove", "--user", "ann", "3");
        var again = await RunAsync("remove", "--user", "ann", "3");
        var after = await RunAsync("list", "--user", "ann", "--all");

        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("has no fact 3", again.Error, StringComparison.Ordinal);
        Assert.Contains("peanuts", after.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Lisbon", after.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Porto", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Global_BotFactsKeptApartFromPeoples()
    {
        var added = await RunAsync("add", "--global", "--bot", "marcus", "The studio is in Brooklyn");
        var global = await RunAsync("list", "--global", "--bot", "marcus");
        var person = await RunAsync("list", "--user", "ann", "--bot", "marcus");

        Assert.Equal(0, added.ExitCode);
        Assert.Contains("Brooklyn", global.Output, StringComparison.Ordinal);
        Assert.Contains("bot", global.Output, StringComparison.Ordinal);
        Assert.Contains("No facts for user ann with bot marcus.", person.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingOrContradictoryTarget_ClearErrorNoStackTrace()
    {
        var none = await RunAsync("list");
        var both = await RunAsync("list", "--user", "ann", "--global");
        var empty = await RunAsync("add", "--user", "ann", "   ");

        Assert.Equal(1, none.ExitCode);
        Assert.Contains("--user <id>", none.Error, StringComparison.Ordinal);
        Assert.Contains("not both", both.Error, StringComparison.Ordinal);
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("The fact is empty", empty.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", none.Error + both.Error + empty.Error, StringComparison.Ordinal);
    }
}
