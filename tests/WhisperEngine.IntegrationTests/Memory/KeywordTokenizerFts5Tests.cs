using Microsoft.Data.Sqlite;
using WhisperEngine.Memory.Keywords;

namespace WhisperEngine.IntegrationTests.Memory;

/// <summary>
/// The in-memory keyword index makes the same terms of a text as the SQLite store's FTS5 table (<c>porter unicode61
/// remove_diacritics 2</c>, as its migration declares), read back from FTS5 itself through <c>fts5vocab</c>.
/// </summary>
public sealed class KeywordTokenizerFts5Tests
{
    private static readonly string[] Stems =
    [
        "gener", "relat", "condit", "vali", "hope", "run", "happ", "sky", "agree", "feed", "troubl", "siz", "hop", "fil", "fall",
        "hiss", "fizz", "fail", "controll", "roll", "cat", "form", "digit", "radic", "sens", "plot", "adopt", "bake", "electr",
        "oscill", "communic", "depend", "effect", "irrit", "replac", "adjust", "homolog", "angul", "bowdler", "activ", "defens",
        "revi", "allow", "formal", "hope", "goodn", "trav", "mov", "tann", "tri", "cr", "y", "ab", "pony", "ti", "capt", "sly",
    ];

    private static readonly string[] Suffixes =
    [
        "", "s", "es", "ss", "sses", "ies", "ed", "eed", "ing", "ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli",
        "eli", "ousli", "ization", "ation", "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "logi",
        "icate", "ative", "alize", "iciti", "ical", "ful", "ness", "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement",
        "ment", "ent", "ion", "sion", "tion", "ou", "ism", "ate", "iti", "ous", "ive", "ize", "e", "y", "ly", "edly", "ingly", "ll",
        "at", "bl", "iz",
    ];

    private static readonly string[] Sentences =
    [
        "Caroline went to the LGBTQ support group on 8 May, 2023 and felt empowered!",
        "Café crème at the Zürich naïve-art museum; résumé sent to Ødegaard & Søn.",
        "COVID19 vaccines, v2.0 of the app, 3rd place, MP3s and 4K TVs.",
        "Don't, won't, shouldn't: it's Melanie's dog's toy.",
        "Μια ελληνική πρόταση και русский текст и 日本語のテキスト。",
        "Running runners ran; the generously generalized relational conditionality.",
        "Łódź, Ångström, Dvořák, Kraków, Ærø, Đorđe, façade, São Paulo, İzmir, Ğ, ŠKODA.",
    ];

    [Fact]
    public void Terms_SuffixGridAndSentences_SameAsFts5Porter()
    {
        var texts = Stems.SelectMany(s => Suffixes.Select(x => s + x)).Concat(Sentences).ToList();
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'porter unicode61 remove_diacritics 2');");
        Execute(connection, "CREATE VIRTUAL TABLE v USING fts5vocab (t, 'row');");
        var mismatches = new List<string>();
        foreach (var chunk in texts.Chunk(200))
        {
            Execute(connection, "DELETE FROM t;");
            var expected = new HashSet<string>(StringComparer.Ordinal);
            var count = 0;
            foreach (var text in chunk)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO t (x) VALUES ($x);";
                insert.Parameters.AddWithValue("$x", text);
                insert.ExecuteNonQuery();
                count += KeywordTokenizer.Tokenize(text, expected, static (set, term) => set.Add(term));
            }

            using var vocabulary = connection.CreateCommand();
            vocabulary.CommandText = "SELECT term FROM v;";
            var actual = new HashSet<string>(StringComparer.Ordinal);
            using (var reader = vocabulary.ExecuteReader())
            {
                while (reader.Read())
                {
                    actual.Add(reader.GetString(0));
                }
            }

            mismatches.AddRange(expected.Except(actual).Select(t => "index only: " + t));
            mismatches.AddRange(actual.Except(expected).Select(t => "FTS5 only: " + t));
            Assert.True(count > 0);
        }

        Assert.True(mismatches.Count == 0, string.Join(", ", mismatches));
    }

    [Fact]
    public void Tokenize_CountsEveryToken_AsFts5ColumnSize()
    {
        const string Text = "What did you do on the 3rd of May? I went to the café, again and again.";
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'porter unicode61 remove_diacritics 2');");
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (x) VALUES ($x);";
        insert.Parameters.AddWithValue("$x", Text);
        insert.ExecuteNonQuery();
        Execute(connection, "CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance');");
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM v;";

        Assert.Equal((long)count.ExecuteScalar()!, KeywordTokenizer.Tokenize(Text, 0, static (_, _) => { }));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
