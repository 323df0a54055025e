using System.Globalization;
using System.Text;
using WhisperEngine.Memory.Retrieval;

namespace WhisperEngine.Memory.Sqlite;

/// <summary>
/// Builds an FTS5 MATCH expression: one partition, any of the query's terms in the text, context or reply, and the
/// speaker's name as a boost (terms quoted, so no word is read as syntax).
/// </summary>
internal static class Fts5Query
{
    /// <summary>The expression, or null when the text has no searchable term.</summary>
    /// <param name="partitionId">The partition searched.</param>
    /// <param name="text">The query.</param>
    /// <param name="speakerNames">
    /// Words of the names of the partition's speakers. Such a word in the query only boosts memories said by that
    /// speaker: in the words of a memory a name is mostly an address ("Thanks, Jon!") and would rank short greetings
    /// first. When the query has no other word, names are matched in the words too.
    /// </param>
    /// <param name="scoreOnly">
    /// Words of the query too common to be worth finding memories by (never all of them): they add to the score of a
    /// memory found by another word, and find nothing alone. FTS5 scores every row its MATCH finds, and reaches the rows
    /// of such a word that also hold a rarer one by seeking, without reading the rest.
    /// </param>
    public static string? Build(long partitionId, string text, IReadOnlySet<string>? speakerNames = null, IReadOnlySet<string>? scoreOnly = null)
    {
        var terms = KeywordTerms.Extract(text);
        List<string> common = [];
        if (scoreOnly is { Count: > 0 } && terms.Any(t => !scoreOnly.Contains(t)))
        {
            common = terms.Where(scoreOnly.Contains).ToList();
            terms = terms.Where(t => !scoreOnly.Contains(t)).ToList();
        }

        if (terms.Count == 0)
        {
            return null;
        }

        var content = speakerNames is { Count: > 0 } ? terms.Where(t => !speakerNames.Contains(t)).ToList() : [.. terms];
        var names = speakerNames is { Count: > 0 } ? terms.Where(speakerNames.Contains).ToList() : [];
        if (content.Count == 0)
        {
            (content, names) = ([.. terms], []);
        }

        var words = Any(content);
        var boost = Any(names.Count > 0 ? names : content);

        // A memory must match in its text, context or reply; a match in the speaker's name then adds to its score
        // (bm25 sums every phrase of the expression that matches the row) but never makes a hit alone: in a person's
        // partition their name is on every memory.
        var also = common.Count > 0 ? $" OR ({{text context reply}} : {words} AND {{text context reply}} : {Any(common)})" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"fts_partition : \"p{partitionId}\" AND ({{text context reply}} : {words} OR ({{text context reply}} : {words} AND speaker : {boost}){also})");
    }

    /// <summary>The expression that counts the partition's memories holding one word in their text, context or reply.</summary>
    public static string Term(long partitionId, string term) =>
        string.Create(CultureInfo.InvariantCulture, $"fts_partition : \"p{partitionId}\" AND {{text context reply}} : \"{term}\"");

    private static string Any(IReadOnlyList<string> terms)
    {
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

        return any.Append(')').ToString();
    }
}
