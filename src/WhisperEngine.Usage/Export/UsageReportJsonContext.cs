using System.Text.Json.Serialization;
using WhisperEngine.Usage.Reports;

namespace WhisperEngine.Usage.Export;

/// <summary>Source-generated JSON for <see cref="UsageReport"/>: snake_case keys, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(UsageReport))]
internal sealed partial class UsageReportJsonContext : JsonSerializerContext;
