using System.Text.Json.Serialization;

namespace WhisperEngine.Memory.UserData;

/// <summary>Source-generated JSON of the relationship export records (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ExportedRelationship))]
public sealed partial class RelationshipJsonContext : JsonSerializerContext;
