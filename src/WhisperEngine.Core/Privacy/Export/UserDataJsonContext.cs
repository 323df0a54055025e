using System.Text.Json.Serialization;

namespace WhisperEngine.Core.Privacy.Export;

/// <summary>Source-generated JSON of the export records of the core stores (snake_case, nulls written).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ExportedConversation))]
[JsonSerializable(typeof(ExportedMessage))]
[JsonSerializable(typeof(ExportedUsage))]
public sealed partial class UserDataJsonContext : JsonSerializerContext;
