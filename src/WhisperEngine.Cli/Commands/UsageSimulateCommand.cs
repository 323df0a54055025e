using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using WhisperEngine.Usage.OpenRouter;
using WhisperEngine.Usage.Pricing;
using WhisperEngine.Usage.Simulation;

namespace WhisperEngine.Cli.Commands;

/// <summary><c>whisperengine usage simulate</c>: what an export would have cost under a routing policy.</summary>
internal static class UsageSimulateCommand
{
    public static Command Create()
    {
        var policy = new Option<string>("--policy") { Description = "Policy YAML: cheap_model, strong_model, strong_min_prompt_tokens", HelpName = "file", Required = true };
        var openRouter = new Option<string>("--openrouter") { Description = "OpenRouter activity export (CSV) to replay", HelpName = "csv", Required = true };
        var prices = new Option<string?>("--prices") { Description = "Extra prices: a YAML table or OpenRouter's models JSON (default: configs/prices.yaml)", HelpName = "file" };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var rows = new Option<int>("--rows") { Description = "Requests to list one by one (table format)", DefaultValueFactory = _ => 20 };
        var command = new Command("simulate", "Replay an OpenRouter export through a routing policy: each request's model and cost, beside what it did cost.")
        {
            policy, openRouter, prices, format, rows,
        };
        command.SetAction((result, _) => CliApp.Guard(() =>
        {
            var shipped = Path.Combine(AppContext.BaseDirectory, "configs", "prices.yaml");
            var table = File.Exists(shipped) ? PriceTable.Load(shipped) : PriceTable.Empty;
            if (result.GetValue(prices) is { } extra)
            {
                table = table.With(PriceTable.Load(extra));
            }

            var simulation = RoutingSimulator.Run(OpenRouterActivityReader.ReadFile(result.GetValue(openRouter)!), RoutingPolicy.Load(result.GetValue(policy)!), table);
            if (result.GetValue(format) == "json")
            {
                WriteJson(simulation);
            }
            else
            {
                WriteTable(simulation, Math.Max(0, result.GetValue(rows)));
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static string Usd(decimal value) => "$" + value.ToString("0.######", CultureInfo.InvariantCulture);

    private static void WriteTable(SimulationResult s, int rows)
    {
        var list = new Table().Border(TableBorder.Rounded).Title($"First {Math.Min(rows, s.Requests.Count)} of {s.Requests.Count} requests")
            .AddColumn("time (UTC)").AddColumn("model used").AddColumn("cost", c => c.RightAligned())
            .AddColumn("policy's model").AddColumn("why").AddColumn("cost", c => c.RightAligned());
        foreach (var r in s.Requests.Take(rows))
        {
            list.AddRow(r.Timestamp.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(r.ActualModel), Usd(r.ActualCostUsd),
                Markup.Escape(r.ChosenModel), Markup.Escape(r.Reason), r.SimulatedCostUsd is { } c ? Usd(c) : "(no price)");
        }

        AnsiConsole.Write(list);
        var savings = s.ActualCostUsd - s.SimulatedCostUsd;
        var totals = new Table().Border(TableBorder.Rounded).Title("Totals").AddColumn("").AddColumn("cost", c => c.RightAligned());
        totals.AddRow("as it happened", Usd(s.ActualCostUsd));
        totals.AddRow($"with the policy ({Markup.Escape(s.Policy.CheapModel)} / {Markup.Escape(s.Policy.StrongModel)} at {s.Policy.StrongMinPromptTokens} prompt tokens)", Usd(s.SimulatedCostUsd));
        totals.AddRow("difference", (savings >= 0 ? "saves " : "costs ") + Usd(Math.Abs(savings)) +
            (s.ActualCostUsd > 0 ? $" ({(double)(savings / s.ActualCostUsd):P1})" : ""));
        AnsiConsole.Write(totals);
        if (s.UnpricedModels.Count > 0)
        {
            Console.Out.WriteLine($"No price for {string.Join(", ", s.UnpricedModels)}: those requests count at their actual cost. Add prices with --prices.");
        }
    }

    private static void WriteJson(SimulationResult s)
    {
        using var stdout = Console.OpenStandardOutput();
        using var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("requests", s.Requests.Count);
        json.WriteNumber("actual_cost_usd", s.ActualCostUsd);
        json.WriteNumber("simulated_cost_usd", s.SimulatedCostUsd);
        json.WriteNumber("savings_usd", s.ActualCostUsd - s.SimulatedCostUsd);
        json.WriteStartArray("by_model");
        foreach (var group in s.Requests.GroupBy(r => r.ChosenModel).OrderByDescending(g => g.Count()))
        {
            json.WriteStartObject();
            json.WriteString("model", group.Key);
            json.WriteNumber("requests", group.Count());
            json.WriteNumber("cost_usd", group.Sum(r => r.SimulatedCostUsd ?? r.ActualCostUsd));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("rows");
        foreach (var r in s.Requests)
        {
            json.WriteStartObject();
            json.WriteString("timestamp", r.Timestamp);
            json.WriteString("actual_model", r.ActualModel);
            json.WriteNumber("actual_cost_usd", r.ActualCostUsd);
            json.WriteString("model", r.ChosenModel);
            json.WriteString("reason", r.Reason);
            json.WriteNumber("prompt_tokens", r.PromptTokens);
            json.WriteNumber("completion_tokens", r.CompletionTokens);
            if (r.SimulatedCostUsd is { } c)
            {
                json.WriteNumber("cost_usd", c);
            }
            else
            {
                json.WriteNull("cost_usd");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stdout.Write("\n"u8);
    }
}
