namespace WhisperEngine.Memory.Keywords;

/// <summary>
/// Porter's suffix-stripping algorithm (1980) as SQLite's FTS5 <c>porter</c> tokenizer applies it: to lower-case
/// tokens of 3 to 64 characters, with the <c>logi</c> and <c>bli</c> rules of the reference implementation, letters
/// other than a-z counting as consonants. The in-memory keyword index stems with it so that it finds what the SQLite
/// store's index finds ("running" and "runs" find "run").
/// </summary>
/// <remarks>Thread-safe (stateless).</remarks>
internal static class PorterStemmer
{
    private const int MaxToken = 64;

    /// <summary>The stem of a lower-case token.</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length < 3 || word.Length > MaxToken)
        {
            return word;
        }

        Span<char> buffer = stackalloc char[MaxToken];
        word.AsSpan().CopyTo(buffer);
        var length = word.Length;
        Step1A(buffer, ref length);
        Step1B(buffer, ref length);
        Step1C(buffer, ref length);
        Step2(buffer, ref length);
        Step3(buffer, ref length);
        Step4(buffer, ref length);
        Step5(buffer, ref length);
        return length == word.Length && buffer[..length].SequenceEqual(word) ? word : new string(buffer[..length]);
    }

    private static bool IsConsonant(ReadOnlySpan<char> w, int i) => w[i] switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => false,
        'y' => i == 0 || !IsConsonant(w, i - 1),
        _ => true,
    };

    /// <summary>The measure m of w[..length]: the number of vowel-consonant sequences, [C](VC)^m[V].</summary>
    private static int Measure(ReadOnlySpan<char> w, int length)
    {
        var i = 0;
        while (i < length && IsConsonant(w, i))
        {
            i++;
        }

        var m = 0;
        while (i < length)
        {
            while (i < length && !IsConsonant(w, i))
            {
                i++;
            }

            if (i >= length)
            {
                break;
            }

            while (i < length && IsConsonant(w, i))
            {
                i++;
            }

            m++;
        }

        return m;
    }

    private static bool HasVowel(ReadOnlySpan<char> w, int length)
    {
        for (var i = 0; i < length; i++)
        {
            if (!IsConsonant(w, i))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsDoubleConsonant(ReadOnlySpan<char> w, int length) =>
        length >= 2 && w[length - 1] == w[length - 2] && IsConsonant(w, length - 1);

    /// <summary>*o: the stem ends consonant-vowel-consonant, the last not w, x or y.</summary>
    private static bool EndsCvc(ReadOnlySpan<char> w, int length) =>
        length >= 3 && IsConsonant(w, length - 3) && !IsConsonant(w, length - 2) && IsConsonant(w, length - 1)
        && w[length - 1] is not ('w' or 'x' or 'y');

    private static bool EndsWith(ReadOnlySpan<char> w, int length, string suffix) =>
        length >= suffix.Length && w[(length - suffix.Length)..length].SequenceEqual(suffix);

    private static void Replace(Span<char> w, ref int length, string suffix, string replacement)
    {
        var at = length - suffix.Length;
        replacement.AsSpan().CopyTo(w[at..]);
        length = at + replacement.Length;
    }

    /// <summary>Replaces <paramref name="suffix"/> when the stem before it has a measure above <paramref name="minMeasure"/>; true when the suffix matched.</summary>
    private static bool Rule(Span<char> w, ref int length, string suffix, string replacement, int minMeasure)
    {
        if (!EndsWith(w, length, suffix))
        {
            return false;
        }

        if (Measure(w, length - suffix.Length) > minMeasure)
        {
            Replace(w, ref length, suffix, replacement);
        }

        return true;
    }

    private static void Step1A(Span<char> w, ref int length)
    {
        if (EndsWith(w, length, "sses"))
        {
            length -= 2;
        }
        else if (EndsWith(w, length, "ies"))
        {
            length -= 2;
        }
        else if (!EndsWith(w, length, "ss") && EndsWith(w, length, "s"))
        {
            length -= 1;
        }
    }

    private static void Step1B(Span<char> w, ref int length)
    {
        if (EndsWith(w, length, "eed"))
        {
            if (Measure(w, length - 3) > 0)
            {
                length -= 1;
            }

            return;
        }

        int cut;
        if (EndsWith(w, length, "ed"))
        {
            cut = 2;
        }
        else if (EndsWith(w, length, "ing"))
        {
            cut = 3;
        }
        else
        {
            return;
        }

        if (!HasVowel(w, length - cut))
        {
            return;
        }

        length -= cut;
        if (EndsWith(w, length, "at") || EndsWith(w, length, "bl") || EndsWith(w, length, "iz"))
        {
            w[length++] = 'e';
        }
        else if (EndsDoubleConsonant(w, length) && w[length - 1] is not ('l' or 's' or 'z'))
        {
            length--;
        }
        else if (Measure(w, length) == 1 && EndsCvc(w, length))
        {
            w[length++] = 'e';
        }
    }

    private static void Step1C(Span<char> w, ref int length)
    {
        if (EndsWith(w, length, "y") && HasVowel(w, length - 1))
        {
            w[length - 1] = 'i';
        }
    }

    private static readonly (string Suffix, string Replacement)[] Step2Rules =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
    ];

    private static readonly (string Suffix, string Replacement)[] Step3Rules =
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ];

    private static readonly string[] Step4Suffixes =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
        "ous", "ive", "ize",
    ];

    private static void Step2(Span<char> w, ref int length) => Longest(w, ref length, Step2Rules, 0);

    private static void Step3(Span<char> w, ref int length) => Longest(w, ref length, Step3Rules, 0);

    /// <summary>Applies the rule of the longest matching suffix (only that one, even when its condition fails).</summary>
    private static void Longest(Span<char> w, ref int length, (string Suffix, string Replacement)[] rules, int minMeasure)
    {
        var best = -1;
        for (var i = 0; i < rules.Length; i++)
        {
            if (EndsWith(w, length, rules[i].Suffix) && (best < 0 || rules[i].Suffix.Length > rules[best].Suffix.Length))
            {
                best = i;
            }
        }

        if (best >= 0)
        {
            Rule(w, ref length, rules[best].Suffix, rules[best].Replacement, minMeasure);
        }
    }

    private static void Step4(Span<char> w, ref int length)
    {
        string? best = null;
        foreach (var suffix in Step4Suffixes)
        {
            if (EndsWith(w, length, suffix) && (best is null || suffix.Length > best.Length))
            {
                best = suffix;
            }
        }

        if (best is null || Measure(w, length - best.Length) <= 1)
        {
            return;
        }

        // (m>1 and (*S or *T)) ION
        if (best == "ion" && (length < 4 || w[length - 4] is not ('s' or 't')))
        {
            return;
        }

        length -= best.Length;
    }

    private static void Step5(Span<char> w, ref int length)
    {
        if (EndsWith(w, length, "e"))
        {
            var m = Measure(w, length - 1);
            if (m > 1 || (m == 1 && !EndsCvc(w, length - 1)))
            {
                length--;
            }
        }

        if (Measure(w, length) > 1 && EndsDoubleConsonant(w, length) && w[length - 1] == 'l')
        {
            length--;
        }
    }
}
