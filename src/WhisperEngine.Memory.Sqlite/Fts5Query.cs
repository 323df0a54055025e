using System.Globalization;
using System.Text;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.Memory.Sqlite;

/// <summary>Builds an FTS5 MATCH expression: one partition, any of the query's terms in the text or context, the speaker's name as a boost (terms quoted, so no word is read as syntax).</summary>
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

        var any = new StringBuilder("(");
        for (var i = 0; i < terms.Count; i++)
        {
            if (i > 0)
            {
                any.Append(" OR ");
            }

            // Terms are letters and digits only (KeywordTerms), so quoting needs no escaping.
            any.Append('"').Append(terms[i]).Append('"');
        }

        any.Append(')');

        // A memory must match in its text or context; a match in the speaker's name then adds to its score (bm25 sums
        // every phrase of the expression that matches the row) but never makes a hit alone: in a person's partition
        // their name is on every memory.
        return string.Create(CultureInfo.InvariantCulture,
            $"fts_partition : \"p{partitionId}\" AND ({{text context}} : {any} OR ({{text context}} : {any} AND speaker : {any}))");
    }
}
