using System.Text.Json.Serialization;

namespace WhisperEngine.Api.Contracts;

/// <summary>Rows of one table erased: <c>action</c> is <c>deleted</c> or <c>anonymised</c>.</summary>
internal sealed record ErasedTable(
    [property: JsonPropertyName("section")] string Section,
    [property: JsonPropertyName("table")] string Table,
    [property: JsonPropertyName("rows")] long Rows,
    [property: JsonPropertyName("action")] string Action);
