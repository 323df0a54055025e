using System.Globalization;
using System.Text;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.Memory.Sqlite;

/// <summary>Builds an FTS5 MATCH expression: one partition, any of the query's terms in the text or context (each quoted, so no word is read as syntax).</summary>
internal static class Fts5Query
{
    /// <summary>The expression, or null when the text has no searchable term.</summary>
    public static string? Build(long partitionId, string text)
    {
        var terms = KeywordTerms.Extract(text);
        if (terms.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"fts_partition : \"p{partitionId}\" AND {{text context}} : (");
        for (var i = 0; i < terms.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(" OR ");
            }

            // Terms are letters and digits only (KeywordTerms), so quoting needs no escaping.
            builder.Append('"').Append(terms[i]).Append('"');
        }

        return builder.Append(')').ToString();
    }
}
