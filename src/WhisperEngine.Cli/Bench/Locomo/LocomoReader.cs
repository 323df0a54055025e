using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>
/// Reads LoCoMo files: the published <c>locomo10.json</c> (an array of samples, each with <c>conversation</c> and
/// <c>qa</c>) or one sample per file, with the sessions either under <c>conversation</c> or at the top level.
/// </summary>
internal static partial class LocomoReader
{
    private static readonly string[] DateFormats = ["h:mm tt 'on' d MMMM, yyyy", "h:mm tt 'on' d MMM, yyyy", "h:mm tt 'on' d MMMM yyyy"];

    /// <summary>Every conversation in the <c>*.json</c> files of a folder, files in name order.</summary>
    public static IReadOnlyList<LocomoConversation> ReadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"No such folder: {folder}");
        }

        var conversations = new List<LocomoConversation>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            conversations.AddRange(ReadFile(file));
        }

        if (conversations.Count == 0)
        {
            throw new IOException($"No LoCoMo conversation (*.json) in {folder}");
        }

        return conversations;
    }

    public static IReadOnlyList<LocomoConversation> ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var name = Path.GetFileNameWithoutExtension(path);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root.EnumerateArray().Select((sample, i) => ReadSample(sample, $"{name}#{i}")).ToList();
        }

        return [ReadSample(root, name)];
    }

    private static LocomoConversation ReadSample(JsonElement sample, string fallbackId)
    {
        var id = sample.TryGetProperty("sample_id", out var sampleId) && sampleId.ValueKind == JsonValueKind.String ? sampleId.GetString()! : fallbackId;
        var conversation = sample.TryGetProperty("conversation", out var inner) ? inner : sample;
        var sessions = new List<LocomoSession>();
        var last = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var property in conversation.EnumerateObject()
            .Select(p => (Property: p, Match: SessionKey().Match(p.Name)))
            .Where(p => p.Match.Success && p.Property.Value.ValueKind == JsonValueKind.Array)
            .OrderBy(p => int.Parse(p.Match.Groups[1].Value, CultureInfo.InvariantCulture)))
        {
            var number = int.Parse(property.Match.Groups[1].Value, CultureInfo.InvariantCulture);
            var date = conversation.TryGetProperty($"session_{number}_date_time", out var dateValue) && ParseDate(dateValue.GetString()) is { } parsed
                ? parsed
                : last.AddDays(1);
            last = date;
            var turns = property.Property.Value.EnumerateArray().Select(t => new LocomoTurn(
                t.GetProperty("dia_id").GetString()!,
                t.GetProperty("speaker").GetString()!,
                t.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "",
                t.TryGetProperty("blip_caption", out var caption) && caption.ValueKind == JsonValueKind.String ? caption.GetString() : null)).ToList();
            sessions.Add(new LocomoSession(number, date, turns));
        }

        var questions = new List<LocomoQuestion>();
        if (sample.TryGetProperty("qa", out var qa))
        {
            foreach (var q in qa.EnumerateArray())
            {
                var evidence = q.TryGetProperty("evidence", out var e) && e.ValueKind == JsonValueKind.Array
                    ? e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)
                    : [];
                questions.Add(new LocomoQuestion(q.GetProperty("question").GetString()!, q.GetProperty("category").GetInt32(), EvidenceIds.Normalise(evidence)));
            }
        }

        return new LocomoConversation(id, sessions, questions);
    }

    internal static DateTimeOffset? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var exact)
            ? new DateTimeOffset(exact, TimeSpan.Zero)
            : DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var loose)
                ? new DateTimeOffset(loose, TimeSpan.Zero)
                : null;
    }

    [GeneratedRegex(@"^session_(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionKey();
}
