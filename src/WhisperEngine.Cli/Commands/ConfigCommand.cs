using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using WhisperEngine.Hosting.Configuration;
using WhisperEngine.Hosting.Detection;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine config show</c>: detected environment, tier, and every effective value with its source.</summary>
internal static class ConfigCommand
{
    public static Command Create(GlobalOptions global)
    {
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var show = new Command("show", "Show the detected environment and tier, and every effective setting with where it came from (secrets masked).") { format };
        show.SetAction((result, _) => CliApp.Guard(() =>
        {
            var configuration = ConfigurationLoader.Load(global.Request(result));
            if (result.GetValue(format) == "json")
            {
                WriteJson(configuration);
            }
            else
            {
                WriteTables(configuration);
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        var command = new Command("config", "Inspect the configuration.") { show };
        return command;
    }

    private static void WriteTables(LoadedConfiguration c)
    {
        var env = c.Environment;
        var summary = new Table().Border(TableBorder.Rounded).Title("Environment").AddColumn("What").AddColumn("Detected");
        summary.AddRow("deployment", env.Kind.ToString().ToLowerInvariant());
        summary.AddRow("CPUs", $"{env.EffectiveCpus.ToString("0.##", CultureInfo.InvariantCulture)} usable of {env.HostCpuCount}" +
            (env.CpuLimit is { } q ? $" (cgroup quota {q.ToString("0.##", CultureInfo.InvariantCulture)})" : ""));
        summary.AddRow("memory", $"{Bytes(env.EffectiveMemoryBytes)} usable of {Bytes(env.HostMemoryBytes)}" +
            (env.MemoryLimitBytes is { } m ? $" (cgroup limit {Bytes(m)})" : ""));
        summary.AddRow("free disk", Bytes(env.FreeDiskBytes));
        summary.AddRow("GPU", env.Gpu ?? "none");
        summary.AddRow("cgroup", env.CgroupVersion is { } v ? $"v{v}" : "none");
        summary.AddRow("tier", $"{c.Tier} ({c.TierReason})");
        summary.AddRow("home", c.Home);
        summary.AddRow("config file", c.ConfigFile ?? "(none)");
        AnsiConsole.Write(summary);

        var plan = new Table().Border(TableBorder.Rounded).Title("Resource plan").AddColumn("Reasoning");
        foreach (var reason in c.Plan.Reasons)
        {
            plan.AddRow(Markup.Escape(reason));
        }

        AnsiConsole.Write(plan);

        var table = new Table().Border(TableBorder.Rounded).Title("Settings").AddColumn("Setting").AddColumn("Value").AddColumn("Source");
        foreach (var s in c.Settings)
        {
            table.AddRow(Markup.Escape(s.Key), Markup.Escape(s.Display), Markup.Escape(s.Source));
        }

        AnsiConsole.Write(table);
    }

    private static void WriteJson(LoadedConfiguration c)
    {
        using var stream = Console.OpenStandardOutput();
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var env = c.Environment;
        json.WriteStartObject();
        json.WriteString("home", c.Home);
        json.WriteString("config_file", c.ConfigFile);
        json.WriteString("tier", c.Tier);
        json.WriteString("tier_reason", c.TierReason);
        json.WriteStartObject("environment");
        json.WriteString("kind", env.Kind.ToString().ToLowerInvariant());
        json.WriteBoolean("container", env.IsContainer);
        json.WriteBoolean("kubernetes", env.IsKubernetes);
        json.WriteNumber("host_cpus", env.HostCpuCount);
        WriteNumber(json, "cpu_limit", env.CpuLimit);
        json.WriteNumber("effective_cpus", env.EffectiveCpus);
        WriteNumber(json, "host_memory_bytes", env.HostMemoryBytes);
        WriteNumber(json, "memory_limit_bytes", env.MemoryLimitBytes);
        WriteNumber(json, "effective_memory_bytes", env.EffectiveMemoryBytes);
        WriteNumber(json, "free_disk_bytes", env.FreeDiskBytes);
        json.WriteString("gpu", env.Gpu);
        WriteNumber(json, "cgroup_version", env.CgroupVersion);
        json.WriteEndObject();
        json.WriteStartObject("plan");
        json.WriteNumber("max_concurrent_turns", c.Plan.MaxConcurrentTurns);
        json.WriteNumber("turn_queue_capacity", c.Plan.TurnQueueCapacity);
        json.WriteNumber("background_workers", c.Plan.BackgroundWorkers);
        json.WriteNumber("cache_memory_bytes", c.Plan.CacheMemoryBytes);
        json.WriteEndObject();
        json.WriteStartArray("settings");
        foreach (var s in c.Settings)
        {
            json.WriteStartObject();
            json.WriteString("key", s.Key);
            json.WriteString("value", s.Display);
            json.WriteString("source", s.Source);
            json.WriteBoolean("secret", s.IsSecret);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.Write("\n"u8);
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Bytes(long? bytes) => bytes is { } b ? ByteSize.Format(b) : "unknown";
}
