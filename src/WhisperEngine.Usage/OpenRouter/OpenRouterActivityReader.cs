using System.Globalization;
using WhisperEngine.Usage.Csv;

namespace WhisperEngine.Usage.OpenRouter;

/// <summary>
/// Reads an OpenRouter activity export (the CSV the activity page downloads: <c>generation_id, created_at, cost_total,
/// ..., tokens_prompt, tokens_completion, model_permaslug, provider_name, ..., generation_time_ms,
/// time_to_first_token_ms, app_name, api_key_name</c>) into <see cref="UsageSample"/>s.
/// </summary>
/// <remarks>
/// Columns are found by their header name, in any order; unknown columns are ignored. <c>cost_total</c> is what
/// OpenRouter charged, cache discounts (<c>cost_cache</c>) already taken off. <c>created_at</c> is UTC.
/// Thread-safe (stateless).
/// </remarks>
public static class OpenRouterActivityReader
{
    /// <summary>Columns a report cannot do without.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } = ["created_at", "model_permaslug", "cost_total", "tokens_prompt", "tokens_completion"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["model"] = "model_permaslug",
        ["cost"] = "cost_total",
        ["prompt_tokens"] = "tokens_prompt",
        ["completion_tokens"] = "tokens_completion",
        ["reasoning_tokens"] = "tokens_reasoning",
        ["provider"] = "provider_name",
        ["ttft_ms"] = "time_to_first_token_ms",
        ["latency_ms"] = "generation_time_ms",
    };

    /// <summary>Reads a file; a missing file or a malformed row is a <see cref="UsageDataException"/> naming file and line.</summary>
    public static IReadOnlyList<UsageSample> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new UsageDataException(path, 0, Directory.Exists(path) ? "is a directory, not an OpenRouter activity CSV" : "file not found");
        }

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path);
    }

    /// <summary>Reads CSV text; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<UsageSample> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var csv = new CsvRecordReader(reader, source);
        var header = csv.Read(out var headerLine)
            ?? throw new UsageDataException(source, 1, "empty file; expected a header line naming the columns (" + string.Join(", ", RequiredColumns) + ", ...)");
        var columns = MapHeader(header, source, headerLine);
        var samples = new List<UsageSample>();
        while (csv.Read(out var line) is { } fields)
        {
            if (fields.Count != header.Count)
            {
                throw new UsageDataException(source, line, $"{fields.Count} fields where the header has {header.Count}; is a comma inside an unquoted field?");
            }

            samples.Add(new Row(fields, columns, source, line).ToSample());
        }

        return samples;
    }

    private static Dictionary<string, int> MapHeader(IReadOnlyList<string> header, string source, int line)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            columns.TryAdd(Aliases.GetValueOrDefault(name, name), i);
        }

        var missing = RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new UsageDataException(source, line,
                $"missing required column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))}; " +
                $"the header has: {string.Join(", ", header)}");
        }

        return columns;
    }

    private readonly record struct Row(IReadOnlyList<string> Fields, Dictionary<string, int> Columns, string Source, int Line)
    {
        public UsageSample ToSample()
        {
            var cancelled = Text("cancelled").Equals("true", StringComparison.OrdinalIgnoreCase);
            var finish = Text("finish_reason_normalized");
            return new UsageSample
            {
                Timestamp = Time("created_at"),
                Model = Text("model_permaslug") is { Length: > 0 } model ? model : throw Error("model_permaslug", "is empty"),
                Provider = Text("provider_name"),
                PromptTokens = Integer("tokens_prompt"),
                CompletionTokens = Integer("tokens_completion"),
                ReasoningTokens = Integer("tokens_reasoning"),
                CostUsd = Money("cost_total"),
                GenerationTimeMs = Number("generation_time_ms"),
                TimeToFirstTokenMs = Number("time_to_first_token_ms"),
                ApiKey = Text("api_key_name"),
                App = Text("app_name"),
                User = Text("user"),
                Outcome = cancelled ? "cancelled" : finish.Equals("error", StringComparison.OrdinalIgnoreCase) ? "error" : "ok",
            };
        }

        private string Text(string column) => Columns.TryGetValue(column, out var i) ? Fields[i].Trim() : "";

        private int Integer(string column)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return 0;
            }

            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : throw Error(column, $"'{text}' is not a whole number >= 0");
        }

        private double? Number(string column)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return null;
            }

            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0
                ? value
                : throw Error(column, $"'{text}' is not a number >= 0");
        }

        private decimal? Money(string column)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return null;
            }

            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Error(column, $"'{text}' is not an amount in US dollars");
        }

        private DateTimeOffset Time(string column)
        {
            var text = Text(column);
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
                ? value
                : throw Error(column, $"'{text}' is not a date and time such as 2025-09-13 21:47:33.990");
        }

        private UsageDataException Error(string column, string problem) => new(Source, Line, $"column '{column}': {problem}");
    }
}
