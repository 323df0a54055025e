using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Cli.Bench.Memory;

/// <summary>
/// A long, varied, deterministic chat between a person and a bot, to fill a memory partition of any size: facts
/// about people, places, plans and feelings mixed with small talk, of lengths from two words to a paragraph, said
/// mostly in direct messages and partly in public and private channels. Questions about those facts are the queries.
/// </summary>
internal sealed class SyntheticConversation
{
    public const string User = "Sam";
    public const string Bot = "Elena";

    private static readonly string[] Names =
    [
        "Maya", "Jonas", "Priya", "Tom", "Aisha", "Luca", "Hannah", "Diego", "Mei", "Oscar", "Fatima", "Noah", "Ingrid", "Kofi",
        "Chloe", "Mateo", "Yuki", "Ben", "Amara", "Felix", "Sofia", "Ravi", "Elif", "Marcus", "Nadia", "Theo", "Lena", "Omar",
        "Grace", "Hugo", "Zara", "Ivan", "Rosa", "Kai", "Leila", "Sean", "Anya", "Tariq", "Clara", "Jude", "Mira", "Pablo",
    ];

    private static readonly string[] Relations =
    [
        "sister", "brother", "mum", "dad", "cousin", "best friend", "coworker", "neighbour", "boss", "grandmother", "partner",
        "roommate", "aunt", "uncle", "old teacher", "climbing buddy",
    ];

    private static readonly string[] Places =
    [
        "Lisbon", "Kyoto", "Berlin", "the lake house", "Edinburgh", "the farmers market", "Oaxaca", "Toronto", "the coast",
        "Vienna", "the old quarry", "Marrakesh", "Reykjavik", "the climbing gym", "Seoul", "the community garden", "Nairobi",
        "Porto", "the library", "Melbourne", "the night market", "Hamburg", "Cape Town", "the ski lodge", "Valencia",
        "Montreal", "the jazz bar", "Istanbul", "Bergen", "the bakery on Elm Street", "Hanoi", "the dog park", "Krakow",
    ];

    private static readonly string[] Activities =
    [
        "hiking", "painting watercolours", "learning the cello", "baking sourdough", "trail running", "bouldering", "pottery",
        "playing chess", "gardening", "birdwatching", "salsa dancing", "kayaking", "knitting", "photography", "writing poems",
        "volunteering at the shelter", "practising Japanese", "building a bookshelf", "cycling", "swimming laps",
    ];

    private static readonly string[] Feelings =
    [
        "anxious", "really happy", "exhausted", "hopeful", "a bit lonely", "proud", "overwhelmed", "calm", "restless",
        "grateful", "frustrated", "excited",
    ];

    private static readonly string[] Things =
    [
        "quarterly budget", "grant application", "wedding speech", "tax return", "conference talk", "apartment lease",
        "marathon training plan", "photo album", "job interview", "piano recital", "garden shed", "birthday surprise",
    ];

    private static readonly string[] Foods =
    [
        "ramen", "tacos", "dumplings", "lasagne", "pho", "falafel", "curry", "sushi", "pierogi", "paella", "banana bread", "gelato",
    ];

    private static readonly string[] Pets = ["puppy", "kitten", "rabbit", "parrot", "tortoise", "hamster"];

    private static readonly string[] PetNames = ["Biscuit", "Pepper", "Mochi", "Ziggy", "Olive", "Bruno", "Luna", "Pickles", "Nimbus", "Waffles"];

    private static readonly string[] Times =
    [
        "yesterday", "last weekend", "on Saturday", "two weeks ago", "last month", "over the holidays", "this morning",
        "on my birthday", "after work on Friday", "in the spring",
    ];

    private static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "the weekend", "the end of the month"];

    private static readonly string[] SmallTalk =
    [
        "haha yes", "Thanks, that means a lot.", "Good morning!", "lol true", "ok talk later", "Night!", "Sure, why not.",
        "That's fair.", "Hmm, I'm not sure.", "Yes! Exactly.", "omg same", "I'll think about it.",
    ];

    private readonly Random _random;
    private string? _previous;
    private int _turn;

    public SyntheticConversation(int seed) => _random = new Random(seed);

    /// <summary>The next turn: who says it, what, and where (channel and privacy); the previous turn is its context.</summary>
    public (string Speaker, string Text, string? Context, string Channel, PrivacyLevel Privacy) Next()
    {
        var speaker = _turn++ % 2 == 0 ? User : Bot;
        var text = speaker == User ? UserLine() : BotLine();
        var roll = _random.Next(100);
        var (channel, privacy) = roll switch
        {
            < 85 => ("dm", PrivacyLevel.DirectMessage),
            < 95 => ("general", PrivacyLevel.PublicChannel),
            _ => (_random.Next(2) == 0 ? "team-a" : "team-b", PrivacyLevel.PrivateChannel),
        };
        var context = _previous;
        _previous = $"{speaker}: {text}";
        return (speaker, text, context, channel, privacy);
    }

    /// <summary>A question of the kind a person asks about what they told the bot.</summary>
    public string Question() => _random.Next(8) switch
    {
        0 => $"When did I go {Pick(Activities)} with {Pick(Names)}?",
        1 => $"Where does my {Pick(Relations)} live now?",
        2 => $"What did I want to call the {Pick(Pets)}?",
        3 => $"How was I feeling about the {Pick(Things)}?",
        4 => $"Which restaurant in {Pick(Places)} had the good {Pick(Foods)}?",
        5 => $"Who did I argue with about {Pick(Activities)}?",
        6 => $"What did {Pick(Names)} say about {Pick(Places)}?",
        _ => $"Remind me what I planned for {Pick(Days)}.",
    };

    private string UserLine() => _random.Next(12) switch
    {
        0 => $"I went {Pick(Activities)} with my {Pick(Relations)} {Pick(Names)} in {Pick(Places)} {Pick(Times)}.",
        1 => $"My {Pick(Relations)} {Pick(Names)} just moved to {Pick(Places)} for a new job, I miss them already.",
        2 => $"I'm thinking about adopting a {Pick(Pets)}, maybe I'll call it {Pick(PetNames)}.",
        3 => $"Honestly I've been feeling {Pick(Feelings)} since the {Pick(Things)} started. It keeps me up at night and I don't know who to talk to about it.",
        4 => $"Do you remember the {Pick(Foods)} place near {Pick(Places)}? We should go again with {Pick(Names)}.",
        5 => $"{Pick(Names)} and I argued about {Pick(Activities)} again, I felt {Pick(Feelings)} afterwards.",
        6 => $"I finally finished the {Pick(Things)} I started {Pick(Times)}!",
        7 => $"Work has been a lot: my boss wants the {Pick(Things)} by {Pick(Days)} and {Pick(Names)} is on holiday in {Pick(Places)}.",
        8 => $"Can you remind me to call {Pick(Names)} about the {Pick(Things)} on {Pick(Days)}?",
        9 => $"I tried {Pick(Activities)} for the first time {Pick(Times)}. {Pick(Names)} showed me how, and it was harder than it looks, "
            + $"but by the end I was {Pick(Feelings)} and we celebrated with {Pick(Foods)} in {Pick(Places)}.",
        _ => Pick(SmallTalk),
    };

    private string BotLine() => _random.Next(8) switch
    {
        0 => $"That sounds wonderful! How did {Pick(Names)} like {Pick(Places)}?",
        1 => $"I remember you mentioned {Pick(Activities)} before. Are you still doing it every {Pick(Days)}?",
        2 => $"Oh no, I'm sorry you're feeling {Pick(Feelings)}. Do you want to talk about the {Pick(Things)}?",
        3 => $"A {Pick(Pets)} named {Pick(PetNames)}? I love that.",
        4 => $"You deserve a break. Maybe {Pick(Foods)} with {Pick(Names)} on {Pick(Days)} would help?",
        5 => $"I'll remind you about the {Pick(Things)}. Anything else on your mind {Pick(Times)}?",
        _ => Pick(SmallTalk),
    };

    private string Pick(string[] values) => values[_random.Next(values.Length)];
}
