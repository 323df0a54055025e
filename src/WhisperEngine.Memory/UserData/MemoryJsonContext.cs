using System.Text.Json.Serialization;

namespace WhisperEngine.Memory.UserData;

/// <summary>Source-generated JSON of the memory export records (snake_case, nulls written).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ExportedMemory))]
public sealed partial class MemoryJsonContext : JsonSerializerContext;
