using System.Collections.Frozen;

namespace WhisperEngine.Memory.Writing;

/// <summary>
/// How much a memory is likely to matter later, 0 to 1, from its words alone (no model call, microseconds):
/// <list type="bullet">
/// <item>starts at 0.45;</item>
/// <item>life events ("married", "moved", "diagnosed", "adopted", "job") +0.15; emotion words ("love", "scared", "proud") +0.1;</item>
/// <item>self-disclosure (I, my, we, our) +0.1; numbers and dates ("3", "June", "yesterday") +0.1;</item>
/// <item>names (capitalised words not opening a sentence) +0.05 each, at most +0.15;</item>
/// <item>length: under 4 words -0.2, under 9 words -0.05, over 25 words +0.05;</item>
/// <item>small talk only ("thanks!", "haha ok", "good night") is capped at 0.15;</item>
/// </list>
/// clamped to 0.05..0.95. A pleasantry sinks below the neutral 0.5, a disclosure with a name and a date rises above it.
/// </summary>
public static class ImportanceEstimator
{
    private static readonly FrozenSet<string> SmallTalk = new[]
    {
        "hi", "hey", "hello", "thanks", "thank", "thx", "you", "ok", "okay", "k", "lol", "haha", "hah", "yes", "yeah", "yep", "no", "nope",
        "sure", "bye", "cool", "nice", "great", "awesome", "wow", "good", "night", "morning", "too", "same", "so", "much", "a", "lot", "glad",
        "to", "hear", "that", "totally", "agree", "me", "see", "ya", "soon", "take", "care", "np", "welcome", "you're", "omg", "oh", "ah",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> SelfWords = new[] { "i", "i'm", "i've", "i'd", "i'll", "my", "mine", "we", "we're", "we've", "our", "ours", "me" }
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> EmotionWords = new[]
    {
        "love", "loved", "hate", "hated", "sad", "happy", "excited", "scared", "afraid", "proud", "angry", "upset", "worried", "anxious",
        "grateful", "lonely", "stressed", "depressed", "heartbroken", "thrilled", "nervous", "miss", "missed", "cried", "crying", "hurt",
        "terrified", "overwhelmed", "frustrated", "ashamed", "jealous", "grief", "joy", "fear",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> LifeEvents = new[]
    {
        "born", "died", "passed", "funeral", "married", "wedding", "divorced", "divorce", "pregnant", "baby", "moved", "moving", "job", "hired",
        "fired", "quit", "graduated", "graduation", "diagnosed", "surgery", "hospital", "adopted", "adoption", "engaged", "promoted", "promotion",
        "retired", "birthday", "anniversary", "accident", "broke", "breakup", "allergic", "allergy", "cancer", "started", "finished", "won",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> TimeWords = new[]
    {
        "yesterday", "tomorrow", "tonight", "ago", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
        "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "weekend", "week", "month", "year",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The importance of <paramref name="text"/>, 0.05 to 0.95.</summary>
    public static float Estimate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Words(text);
        if (words.Count == 0)
        {
            return 0.05f;
        }

        var score = 0.45;
        bool self = false, emotion = false, life = false, time = false, smallTalkOnly = true;
        var names = 0;
        for (var i = 0; i < words.Count; i++)
        {
            var (word, capitalised, sentenceStart) = words[i];
            smallTalkOnly &= SmallTalk.Contains(word);
            self |= SelfWords.Contains(word);
            emotion |= EmotionWords.Contains(word);
            life |= LifeEvents.Contains(word);
            time |= TimeWords.Contains(word) || char.IsDigit(word[0]);
            if (capitalised && !sentenceStart && word is not ("i" or "i'm" or "i've" or "i'd" or "i'll") && !TimeWords.Contains(word))
            {
                names++;
            }
        }

        score += life ? 0.15 : 0;
        score += emotion ? 0.1 : 0;
        score += self ? 0.1 : 0;
        score += time ? 0.1 : 0;
        score += Math.Min(names, 3) * 0.05;
        score += words.Count switch
        {
            < 4 => -0.2,
            < 9 => -0.05,
            > 25 => 0.05,
            _ => 0,
        };
        if (smallTalkOnly)
        {
            score = Math.Min(score, 0.15);
        }

        return (float)Math.Clamp(score, 0.05, 0.95);
    }

    private static List<(string Word, bool Capitalised, bool SentenceStart)> Words(string text)
    {
        var words = new List<(string, bool, bool)>();
        var start = -1;
        var sentenceStart = true;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var inWord = char.IsLetterOrDigit(c) || (c is '\'' or '’' && start >= 0);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = text[start..i].Replace('’', '\'');
                words.Add((word.ToLowerInvariant(), char.IsUpper(word[0]), sentenceStart));
                sentenceStart = false;
                start = -1;
            }

            if (c is '.' or '!' or '?' or '\n' or ':' or '[')
            {
                sentenceStart = true;
            }
        }

        return words;
    }
}
