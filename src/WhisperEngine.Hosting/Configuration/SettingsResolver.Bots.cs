using System.Globalization;
using System.Text.RegularExpressions;
using WhisperEngine.Core.Bots;

namespace WhisperEngine.Hosting.Configuration;

internal sealed partial class SettingsResolver
{
    private static readonly string[] BotFields = ["id", "tenant", "character", "model", "api_url", "api_key", "discord_token", "max_concurrent_turns"];

    /// <summary>Reads <c>bots.N.field</c> entries (a YAML list of bots, or WHISPERENGINE_BOTS__N__FIELD variables).</summary>
    private List<BotSettings> Bots()
    {
        var fields = new SortedDictionary<int, Dictionary<string, ConfigValue>>();
        foreach (var layer in _layers)
        {
            foreach (var (key, value) in layer.Values.Where(v => v.Key.StartsWith("bots.", StringComparison.Ordinal)))
            {
                var parts = key.Split('.');
                if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || !BotFields.Contains(parts[2]))
                {
                    _problems.Add(ConfigurationLoader.Problem(value.Source, key, $"expected bots.<n>.<field> with a field among: {string.Join(", ", BotFields)}"));
                    continue;
                }

                if (!fields.TryGetValue(index, out var bot))
                {
                    fields[index] = bot = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
                }

                bot[parts[2]] = value;
            }
        }

        var bots = new List<BotSettings>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, bot) in fields)
        {
            string? Get(string field) => bot.GetValueOrDefault(field)?.Text;
            var source = bot.Values.First().Source;
            var id = Get("id");
            if (id is null || !BotId().IsMatch(id))
            {
                _problems.Add(ConfigurationLoader.Problem(bot.GetValueOrDefault("id")?.Source ?? source, $"bots.{index}.id",
                    id is null ? "is required" : $"'{id}' is not a valid id; use lowercase letters, digits, '-' or '_'"));
                continue;
            }

            if (!ids.Add(id))
            {
                _problems.Add(ConfigurationLoader.Problem(bot["id"].Source, $"bots.{index}.id", $"'{id}' is used by another bot; ids must be unique"));
                continue;
            }

            Uri? url = null;
            if (Get("api_url") is { } urlText && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
            {
                _problems.Add(ConfigurationLoader.Problem(bot["api_url"].Source, $"bots.{index}.api_url", $"'{urlText}' is not an http:// or https:// URL"));
            }

            int? limit = null;
            if (Get("max_concurrent_turns") is { } limitText)
            {
                if (int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4096)
                {
                    limit = n;
                }
                else
                {
                    _problems.Add(ConfigurationLoader.Problem(bot["max_concurrent_turns"].Source, $"bots.{index}.max_concurrent_turns",
                        $"'{limitText}' is not a whole number from 1 to 4096"));
                }
            }

            if (Core.Turns.WarmupTurns.IsWarmup(Get("tenant")))
            {
                _problems.Add(ConfigurationLoader.Problem(bot["tenant"].Source, $"bots.{index}.tenant",
                    $"'{Core.Turns.WarmupTurns.Tenant}' is reserved for serve's warm-up turns; choose another tenant name"));
            }

            var definition = new BotDefinition
            {
                Id = id,
                TenantId = Get("tenant") ?? Core.Conversations.ConversationKey.DefaultTenant,
                CharacterId = Get("character") ?? id,
                Model = Get("model"),
                MaxConcurrentTurns = limit,
            };
            bots.Add(new BotSettings(definition, url, Get("api_key"), Get("discord_token"), source));
            foreach (var (field, value) in bot)
            {
                var secret = field is "api_key" or "discord_token";
                _effective[$"bots.{index}.{field}"] = (value, secret ? Mask(value.Text ?? "") : value.Text ?? "");
            }
        }

        return bots;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex BotId();
}
