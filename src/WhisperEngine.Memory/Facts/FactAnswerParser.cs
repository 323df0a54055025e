using System.Globalization;
using System.Text.Json;

namespace WhisperEngine.Memory.Facts;

/// <summary>
/// Reads the model's extraction answer and checks it against <see cref="FactAnswerSchema"/> and against what the model
/// was shown: types, required fields per operation, confidence 0 to 1, known operation names, fact ids among the known
/// facts, message ids among the messages, no fact or key changed twice. Any error rejects the whole answer (a batch
/// is stored whole or not at all); the errors go back to the model in the retry.
/// </summary>
internal static class FactAnswerParser
{
    /// <summary>Most operations accepted in one answer: more means the model is listing, not extracting.</summary>
    public const int MaxOperations = 50;

    public static bool TryParse(string? answer, IReadOnlyDictionary<long, FactRecord> known, IReadOnlySet<long> messageIds,
        out List<FactProposal> proposals, out List<string> errors)
    {
        proposals = [];
        errors = [];
        var text = StripFence(answer ?? "");
        if (text.Length == 0)
        {
            errors.Add("the answer is empty; expected a JSON object {\"operations\": [...]}");
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            errors.Add($"the answer is not valid JSON ({ex.Message.Split(" Path:", 2)[0]}); expected a JSON object {{\"operations\": [...]}}");
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("operations", out var operations)
                || operations.ValueKind != JsonValueKind.Array)
            {
                errors.Add("the answer must be a JSON object with an \"operations\" array");
                return false;
            }

            if (operations.GetArrayLength() > MaxOperations)
            {
                errors.Add($"operations: {operations.GetArrayLength()} operations; at most {MaxOperations} are accepted");
                return false;
            }

            var i = 0;
            foreach (var element in operations.EnumerateArray())
            {
                var reader = new OperationReader(element, $"operations[{i++}]", errors);
                if (reader.Read(known, messageIds) is { } proposal)
                {
                    proposals.Add(proposal);
                }
            }
        }

        CheckBatch(proposals, known, errors);
        if (errors.Count > 0)
        {
            proposals = [];
            return false;
        }

        return true;
    }

    /// <summary>The answer without a Markdown code fence around it (cheap models add one even when asked for JSON).</summary>
    internal static string StripFence(string answer)
    {
        var text = answer.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
        if (firstLine < 0)
        {
            return "";
        }

        text = text[(firstLine + 1)..].TrimEnd();
        return text.EndsWith("```", StringComparison.Ordinal) ? text[..^3].Trim() : text;
    }

    private static void CheckBatch(List<FactProposal> proposals, IReadOnlyDictionary<long, FactRecord> known, List<string> errors)
    {
        var targets = new HashSet<long>();
        var keys = new HashSet<(FactSubject, string)>();
        foreach (var p in proposals)
        {
            if (p.TargetId is { } id && !targets.Add(id))
            {
                errors.Add($"fact {id.ToString(CultureInfo.InvariantCulture)} is changed by two operations; give each fact one operation");
            }

            var key = p.Kind == FactOperationKind.Add ? (p.Subject, p.Key!) : (known[p.TargetId!.Value].Subject, known[p.TargetId.Value].Key);
            if (p.Kind != FactOperationKind.Retire && !keys.Add(key))
            {
                errors.Add($"key '{key.Item2}' gets two values in one answer; a key has one current value (update the known fact, or pick one)");
            }
        }
    }

    /// <summary>Reads one operation object, adding an error per problem found.</summary>
    private readonly struct OperationReader(JsonElement element, string path, List<string> errors)
    {
        public FactProposal? Read(IReadOnlyDictionary<long, FactRecord> known, IReadOnlySet<long> messageIds)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return Fail($"{path}: expected an object, found {Kind(element.ValueKind)}");
            }

            var before = errors.Count;
            var op = String("op");
            var kind = op?.ToLowerInvariant() switch
            {
                "add" => FactOperationKind.Add,
                "update" => FactOperationKind.Update,
                "retire" => FactOperationKind.Retire,
                null => Fail<FactOperationKind?>($"{path}.op: required; one of add, update, retire"),
                _ => Fail<FactOperationKind?>($"{path}.op: '{op}' is not one of add, update, retire"),
            };
            var id = Integer("id");
            var subjectText = String("subject");
            var rawKey = String("key");
            var value = String("value")?.Trim();
            var confidence = Number("confidence");
            var reason = String("reason");
            var evidence = Evidence(messageIds);
            if (kind is null)
            {
                return null;
            }

            if (confidence is { } c && c is < 0 or > 1)
            {
                errors.Add($"{path}.confidence: {c.ToString(CultureInfo.InvariantCulture)} is outside 0 to 1");
            }

            string? key = null;
            var subject = FactSubject.User;
            if (kind == FactOperationKind.Add)
            {
                if (id is not null)
                {
                    errors.Add($"{path}.id: must be null for add (a new fact gets its id when stored); to change fact {id} use update");
                }

                subject = subjectText?.ToLowerInvariant() switch
                {
                    "user" => FactSubject.User,
                    "bot" => FactSubject.Bot,
                    null => Fail<FactSubject>($"{path}.subject: required for add; user or bot"),
                    _ => Fail<FactSubject>($"{path}.subject: '{subjectText}' is not user or bot"),
                };
                key = FactKey.Normalize(rawKey);
                if (key is null)
                {
                    errors.Add($"{path}.key: required for add; a snake_case attribute such as lives_in");
                }
            }
            else if (id is null)
            {
                errors.Add($"{path}.id: required for {op}; the id of a known fact");
            }
            else if (!known.TryGetValue(id.Value, out var target))
            {
                errors.Add($"{path}.id: {id} is not the id of a known fact (known: {(known.Count == 0 ? "none" : string.Join(", ", known.Keys.Order()))})");
            }
            else if (rawKey is not null && FactKey.Normalize(rawKey) is { } named && named != target.Key)
            {
                errors.Add($"{path}.key: '{named}' does not match fact {id}, whose key is '{target.Key}'; an update keeps the key (add a new fact for another key)");
            }

            if (kind != FactOperationKind.Retire)
            {
                if (string.IsNullOrEmpty(value))
                {
                    errors.Add($"{path}.value: required for {op}; a non-empty string");
                }
                else if (value.Length > FactRules.MaxValueLength)
                {
                    errors.Add($"{path}.value: {value.Length} characters; at most {FactRules.MaxValueLength}");
                }

                if (confidence is null)
                {
                    errors.Add($"{path}.confidence: required for {op}; a number from 0 to 1");
                }
            }

            return errors.Count > before ? null : new FactProposal(kind.Value, id, subject, key, value, confidence, reason, evidence);
        }

        private string? String(string name)
        {
            if (!element.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (p.ValueKind == JsonValueKind.String)
            {
                return p.GetString();
            }

            errors.Add($"{path}.{name}: expected a string or null, found {Kind(p.ValueKind)}");
            return null;
        }

        private long? Integer(string name)
        {
            if (!element.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (p.ValueKind == JsonValueKind.Number && p.TryGetInt64(out var n))
            {
                return n;
            }

            errors.Add($"{path}.{name}: expected an integer or null, found {(p.ValueKind == JsonValueKind.Number ? p.GetRawText() : Kind(p.ValueKind))}");
            return null;
        }

        private double? Number(string name)
        {
            if (!element.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (p.ValueKind == JsonValueKind.Number)
            {
                return p.GetDouble();
            }

            errors.Add($"{path}.{name}: expected a number or null, found {Kind(p.ValueKind)}");
            return null;
        }

        private List<long> Evidence(IReadOnlySet<long> messageIds)
        {
            var ids = new List<long>();
            if (!element.TryGetProperty("evidence", out var p) || p.ValueKind == JsonValueKind.Null)
            {
                return ids;
            }

            if (p.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{path}.evidence: expected an array of message ids or null, found {Kind(p.ValueKind)}");
                return ids;
            }

            foreach (var item in p.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var id))
                {
                    errors.Add($"{path}.evidence: expected message ids (integers), found {Kind(item.ValueKind)}");
                }
                else if (!messageIds.Contains(id))
                {
                    errors.Add($"{path}.evidence: {id} is not the id of a message shown");
                }
                else
                {
                    ids.Add(id);
                }
            }

            return ids;
        }

        private FactProposal? Fail(string error)
        {
            errors.Add(error);
            return null;
        }

        private T? Fail<T>(string error)
        {
            errors.Add(error);
            return default;
        }

        private static string Kind(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
    }
}
