using System.Collections.Frozen;

namespace WhisperEngine.Memory.Emotion;

/// <summary>
/// The words, phrases, emoji and emoticons <see cref="EmotionClassifier"/> knows, with a weight each (1 ordinary,
/// 2 strong), and the modifiers: negators, intensifiers, dampeners. English only; written for chat messages.
/// </summary>
internal static class EmotionLexicon
{
    public static FrozenDictionary<string, (EmotionLabel Label, double Weight)> Words { get; } = Build(new()
    {
        [EmotionLabel.Joy] =
            "happy happier happiest glad joy joyful delighted delight thrilled excited exciting excite yay hooray great wonderful " +
            "awesome amazing fantastic excellent lovely fun enjoy enjoyed enjoying enjoyable proud relieved relief celebrate celebrating " +
            "celebrated cheerful pleased good:0.6 nice:0.7 cool:0.6 yes:0.5 can't_wait:1.5 cannot_wait:1.5 cant_wait:1.5 win won winning success succeeded passed promoted promotion " +
            "ecstatic:2 overjoyed:2 elated:2 blissful:2 fabulous perfect brilliant beautiful haha:0.7 hahaha lol:0.6 lmao:0.8 grateful thankful",
        [EmotionLabel.Sadness] =
            "sad sadder saddest unhappy down:0.6 depressed depressing depression lonely alone miserable heartbroken:2 devastated:2 grief " +
            "grieving cry crying cried tears hurt hurts hurting sorry:0.6 disappointed disappointing disappointment upset gloomy hopeless " +
            "lost:0.6 loss miss:0.7 missing:0.6 missed:0.6 died dead:0.8 death funeral passed_away:2 broke:0.6 broken rejected failed:0.8 " +
            "fail:0.6 failing:0.7 tired:0.5 exhausted:0.7 awful:0.8 terrible:0.8 worst:0.8 bad:0.6 sucks:0.7 empty regret lonesome",
        [EmotionLabel.Anger] =
            "angry anger mad furious:2 livid:2 enraged:2 rage raging annoyed annoying annoys irritated irritating frustrated " +
            "frustrating frustration hate:1.5 hated hates pissed:1.5 outraged:2 resent unfair ridiculous stupid:0.8 idiot:1.2 " +
            "disgusted disgusting sick_of:1.5 fed_up:1.5 damn:0.7 wtf:1.2 ugh:0.8 argh:1 infuriating:2 bitter",
        [EmotionLabel.Fear] =
            "afraid scared scary fear fearful frightened terrified:2 terrifying:2 worried worry worrying worries anxious anxiety " +
            "nervous panic panicking stressed stress stressful tense uneasy dread dreading horrified:2 unsafe threatened overwhelmed " +
            "insecure paranoid spooked creepy concerned:0.7",
        [EmotionLabel.Surprise] =
            "surprised surprise surprising surprisingly shocked:1.5 shocking:1.5 astonished:1.5 amazed stunned:1.5 unexpected " +
            "unbelievable wow:1.2 whoa:1.2 woah:1.2 omg:1.2 incredible:0.7 speechless suddenly:0.5 wait_what:1.5 no_way:1.2",
        [EmotionLabel.Affection] =
            "love:1.5 loved loving adore:1.5 adored darling dear:0.7 sweetheart hug hugs cuddle kiss kisses care:0.7 caring " +
            "cherish affection fond miss_you:1.5 xoxo:1.5 sweet:0.7 thank:0.7 thanks:0.7 thank_you:1 appreciate appreciated " +
            "bestie:1.2 friendship:0.8 together:0.4",
    });

    /// <summary>Emoji and emoticons: strong signals in chat.</summary>
    public static FrozenDictionary<string, (EmotionLabel Label, double Weight)> Symbols { get; } = new Dictionary<string, (EmotionLabel, double)>
    {
        ["😀"] = (EmotionLabel.Joy, 1.5), ["😃"] = (EmotionLabel.Joy, 1.5), ["😄"] = (EmotionLabel.Joy, 1.5), ["😁"] = (EmotionLabel.Joy, 1.5),
        ["😆"] = (EmotionLabel.Joy, 1.5), ["😂"] = (EmotionLabel.Joy, 1.5), ["🤣"] = (EmotionLabel.Joy, 1.5), ["😊"] = (EmotionLabel.Joy, 1.5),
        ["🙂"] = (EmotionLabel.Joy, 1), ["🎉"] = (EmotionLabel.Joy, 1.5), ["🥳"] = (EmotionLabel.Joy, 1.5), ["😎"] = (EmotionLabel.Joy, 1),
        ["👍"] = (EmotionLabel.Joy, 0.7), [":)"] = (EmotionLabel.Joy, 1), [":-)"] = (EmotionLabel.Joy, 1), [":D"] = (EmotionLabel.Joy, 1.5),
        [":-D"] = (EmotionLabel.Joy, 1.5), ["^^"] = (EmotionLabel.Joy, 1),
        ["😢"] = (EmotionLabel.Sadness, 1.5), ["😭"] = (EmotionLabel.Sadness, 2), ["😞"] = (EmotionLabel.Sadness, 1.5), ["😔"] = (EmotionLabel.Sadness, 1.5),
        ["☹️"] = (EmotionLabel.Sadness, 1.5), ["☹"] = (EmotionLabel.Sadness, 1.5), ["🙁"] = (EmotionLabel.Sadness, 1.2), ["💔"] = (EmotionLabel.Sadness, 2),
        ["😿"] = (EmotionLabel.Sadness, 1.5), [":("] = (EmotionLabel.Sadness, 1.2), [":-("] = (EmotionLabel.Sadness, 1.2), [":'("] = (EmotionLabel.Sadness, 2),
        ["😠"] = (EmotionLabel.Anger, 1.5), ["😡"] = (EmotionLabel.Anger, 2), ["🤬"] = (EmotionLabel.Anger, 2), ["😤"] = (EmotionLabel.Anger, 1.2),
        ["👿"] = (EmotionLabel.Anger, 1.5), [">:("] = (EmotionLabel.Anger, 1.5),
        ["😨"] = (EmotionLabel.Fear, 1.5), ["😰"] = (EmotionLabel.Fear, 1.5), ["😱"] = (EmotionLabel.Fear, 1.5), ["😟"] = (EmotionLabel.Fear, 1.2),
        ["😬"] = (EmotionLabel.Fear, 1), ["😖"] = (EmotionLabel.Fear, 1),
        ["😮"] = (EmotionLabel.Surprise, 1.5), ["😯"] = (EmotionLabel.Surprise, 1.5), ["😲"] = (EmotionLabel.Surprise, 1.5), ["🤯"] = (EmotionLabel.Surprise, 1.5),
        [":O"] = (EmotionLabel.Surprise, 1.2), [":o"] = (EmotionLabel.Surprise, 1.2),
        ["❤️"] = (EmotionLabel.Affection, 1.5), ["❤"] = (EmotionLabel.Affection, 1.5), ["🥰"] = (EmotionLabel.Affection, 1.5), ["😍"] = (EmotionLabel.Affection, 1.5),
        ["😘"] = (EmotionLabel.Affection, 1.5), ["🤗"] = (EmotionLabel.Affection, 1.2), ["💕"] = (EmotionLabel.Affection, 1.5), ["💖"] = (EmotionLabel.Affection, 1.5),
        ["🙏"] = (EmotionLabel.Affection, 1), ["<3"] = (EmotionLabel.Affection, 1.5),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words that turn the meaning of the emotion word after them (within <see cref="EmotionClassifier.NegationWindow"/> words).</summary>
    public static FrozenSet<string> Negators { get; } = FrozenSet.ToFrozenSet<string>(
        ("not no never nothing nobody none neither nor without hardly barely isn't aren't wasn't weren't don't doesn't didn't " +
        "can't cannot couldn't won't wouldn't shouldn't haven't hasn't hadn't ain't dont doesnt didnt cant wont isnt wasnt aint nt")
            .Split(' '), StringComparer.Ordinal);

    /// <summary>Words that make the emotion word after them stronger.</summary>
    public static FrozenDictionary<string, double> Modifiers { get; } = new Dictionary<string, double>
    {
        ["very"] = 1.5, ["so"] = 1.5, ["really"] = 1.5, ["extremely"] = 2, ["super"] = 1.5, ["totally"] = 1.5, ["incredibly"] = 2,
        ["absolutely"] = 1.8, ["truly"] = 1.5, ["deeply"] = 1.8, ["such"] = 1.3, ["too"] = 1.3, ["completely"] = 1.8, ["utterly"] = 2,
        ["insanely"] = 2, ["terribly"] = 1.8, ["awfully"] = 1.5, ["quite"] = 1.2, ["soo"] = 1.8, ["sooo"] = 2, ["soooo"] = 2,
        ["slightly"] = 0.5, ["somewhat"] = 0.6, ["kinda"] = 0.6, ["kind"] = 0.6, ["bit"] = 0.5, ["little"] = 0.6, ["mildly"] = 0.5,
        ["rather"] = 0.8, ["almost"] = 0.6,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static FrozenDictionary<string, (EmotionLabel, double)> Build(Dictionary<EmotionLabel, string> source)
    {
        var words = new Dictionary<string, (EmotionLabel, double)>(StringComparer.Ordinal);
        foreach (var (label, list) in source)
        {
            foreach (var entry in list.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = entry.IndexOf(':', StringComparison.Ordinal);
                var word = (colon < 0 ? entry : entry[..colon]).Replace('_', ' ');
                var weight = colon < 0 ? 1.0 : double.Parse(entry[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                words[word] = (label, weight);
            }
        }

        return words.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
