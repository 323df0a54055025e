using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Facts;

/// <summary>The messages of an extraction call: instructions, the known facts with their ids, the conversation with message ids.</summary>
internal static class FactExtractionPrompt
{
    /// <summary>Longest message text shown, in characters; the rest of a very long message is cut.</summary>
    private const int MaxMessageChars = 1500;

    private const string Instructions = """
        You keep the long-term facts a companion bot knows about the person it talks with. Read the conversation and
        answer with changes to the known facts, as JSON: {"operations": [...]}.

        What counts as a fact: durable things about the user that matter in later conversations: name, age, where they
        live, work or study, family, partner, friends and pets (with names), health and allergies, likes and dislikes,
        hobbies, goals, important dates and plans. Not passing moods, small talk or what the bot itself said, unless the
        bot made the user a promise or told them something about itself (then subject "bot").
        Take facts from what the user says; the bot's lines are context only. Never invent.

        Operations (every field present; null where it does not apply):
        - {"op": "add", "id": null, "subject": "user", "key": "lives_in", "value": "Lisbon", "confidence": 0.9, "reason": null, "evidence": [12]}
          for a fact not known yet. Keys are snake_case, with dots for nesting: pet.dog.name, sister.name, job.title.
          A key has one current value: several things of a kind get specific keys (pet.dog.name, pet.cat.name).
        - {"op": "update", "id": 3, "subject": null, "key": null, "value": "Porto", "confidence": 0.9, "reason": "moved", "evidence": [14]}
          when the conversation changes a known fact (the key stays the same). Contradictions are updates, never a second add.
        - {"op": "retire", "id": 5, "subject": null, "key": null, "value": null, "confidence": null, "reason": "no longer has a car", "evidence": [15]}
          when a known fact is no longer true and nothing replaces it.
        Confidence: 1.0 the user says it plainly; 0.7-0.9 clearly implied; below 0.6 a guess (guesses are not kept).
        Evidence: the ids of the messages the operation rests on.
        Known facts that the conversation does not change need no operation. Nothing new: {"operations": []}.
        Answer with the JSON object only.
        """;

    public static List<ChatMessage> Build(IReadOnlyList<FactRecord> known, IReadOnlyList<FactSourceMessage> messages)
    {
        var text = new StringBuilder();
        text.Append("Known facts (id, subject, key = value, confidence):\n");
        if (known.Count == 0)
        {
            text.Append("(none yet)\n");
        }

        foreach (var fact in known)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"[{fact.Id}] {(fact.Subject == FactSubject.Bot ? "bot" : "user")} {fact.Key} = {fact.Value} ({fact.Confidence:0.##})\n");
        }

        text.Append("\nConversation (message id, who, text):\n");
        foreach (var message in messages)
        {
            var words = message.Text.Length > MaxMessageChars ? message.Text[..MaxMessageChars] + " [...]" : message.Text;
            text.Append(CultureInfo.InvariantCulture,
                $"#{message.Id} {(message.Role == MessageRole.User ? "User" : "Bot")} ({message.At:yyyy-MM-dd}): {words.Replace('\n', ' ')}\n");
        }

        return [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, text.ToString())];
    }

    /// <summary>The follow-up after an invalid answer: what was wrong, and the request to answer again.</summary>
    public static IEnumerable<ChatMessage> Retry(string answer, IReadOnlyList<string> errors)
    {
        var text = new StringBuilder("Your answer was not accepted:\n");
        foreach (var error in errors.Take(10))
        {
            text.Append("- ").Append(error).Append('\n');
        }

        text.Append("Answer again with the whole corrected JSON object {\"operations\": [...]} only.");
        return [new ChatMessage(ChatRole.Assistant, answer.Length > 4000 ? answer[..4000] : answer), new ChatMessage(ChatRole.User, text.ToString())];
    }
}
