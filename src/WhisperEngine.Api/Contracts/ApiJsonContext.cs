using System.Text.Json.Serialization;

namespace WhisperEngine.Api.Contracts;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never, WriteIndented = false)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ErasureResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
