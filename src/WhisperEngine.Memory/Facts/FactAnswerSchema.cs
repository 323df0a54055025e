using System.Text.Json;

namespace WhisperEngine.Memory.Facts;

/// <summary>
/// The JSON schema of the extraction answer, sent as <c>response_format: json_schema</c>. Every property is required
/// and nullable (the form strict structured output accepts); <see cref="FactAnswerParser"/> checks the same rules
/// itself, since many endpoints ignore the schema or do not support it.
/// </summary>
internal static class FactAnswerSchema
{
    public const string Name = "fact_operations";

    public const string Description = "Changes to the facts known about the user: add new facts, update or retire known ones by id.";

    private const string Json = """
        {
          "type": "object",
          "properties": {
            "operations": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "op": { "type": "string", "enum": ["add", "update", "retire"] },
                  "id": { "type": ["integer", "null"], "description": "id of the known fact to update or retire; null for add" },
                  "subject": { "type": ["string", "null"], "enum": ["user", "bot", null], "description": "who an added fact is about" },
                  "key": { "type": ["string", "null"], "description": "snake_case attribute, dots for nesting: lives_in, pet.dog.name; null for update and retire" },
                  "value": { "type": ["string", "null"], "description": "the value for add and update; null for retire" },
                  "confidence": { "type": ["number", "null"], "minimum": 0, "maximum": 1 },
                  "reason": { "type": ["string", "null"] },
                  "evidence": { "type": ["array", "null"], "items": { "type": "integer" }, "description": "ids of the messages it rests on" }
                },
                "required": ["op", "id", "subject", "key", "value", "confidence", "reason", "evidence"],
                "additionalProperties": false
              }
            }
          },
          "required": ["operations"],
          "additionalProperties": false
        }
        """;

    public static JsonElement Schema { get; } = Load();

    private static JsonElement Load()
    {
        using var document = JsonDocument.Parse(Json);
        return document.RootElement.Clone();
    }
}
