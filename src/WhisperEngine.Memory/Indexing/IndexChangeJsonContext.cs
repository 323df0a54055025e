using System.Text.Json.Serialization;

namespace WhisperEngine.Memory.Indexing;

/// <summary>Source-generated JSON of the peer messages about vector indexes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IndexChange))]
internal sealed partial class IndexChangeJsonContext : JsonSerializerContext;
