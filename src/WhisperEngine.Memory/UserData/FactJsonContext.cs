using System.Text.Json.Serialization;

namespace WhisperEngine.Memory.UserData;

/// <summary>Source-generated JSON of the fact export records (snake_case, nulls written).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ExportedFact))]
public sealed partial class FactJsonContext : JsonSerializerContext;
