using System.Text;
using WhisperEngine.Core.Characters;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Storage;
using WhisperEngine.Core.Turns;

namespace WhisperEngine.Cli.Commands;

/// <summary>The terminal conversation loop: reads input (multi-line aware), handles slash commands, streams replies.</summary>
internal sealed class ChatSession(TurnPipeline pipeline, IConversationStore store, Character character, Core.Bots.BotDefinition bot, string user, string model)
{
    private const string Block = "\"\"\"";
    private readonly ConversationKey _key = new(bot.TenantId, bot.Id, user, "terminal");
    private string _model = model;

    public async Task<int> RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"Talking with {character.Name} ({character.Id}) as {user}, model {_model}. Type /help for commands, /exit to leave.");
        var history = await store.CountMessagesAsync(_key, cancellationToken);
        if (history > 0)
        {
            output.WriteLine($"({history} earlier messages remembered; /history shows them.)");
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            output.Write("\nyou> ");
            output.Flush();
            var text = await ReadMessageAsync(input, output, cancellationToken);
            if (text is null)
            {
                output.WriteLine();
                return ExitCodes.Ok;
            }

            if (text.Length == 0)
            {
                continue;
            }

            if (text.StartsWith('/'))
            {
                if (!await CommandAsync(text, output, cancellationToken))
                {
                    return ExitCodes.Ok;
                }

                continue;
            }

            await ReplyAsync(text, output, cancellationToken);
        }

        return ExitCodes.Ok;
    }

    private async Task ReplyAsync(string text, TextWriter output, CancellationToken cancellationToken)
    {
        // Ctrl+C while a reply streams stops that reply, not the program.
        using var turnCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            turnCancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            output.Write($"{character.Name}> ");
            await foreach (var update in pipeline.StreamAsync(
                new TurnRequest(_key, PrivacyLevel.DirectMessage, text, _model), turnCancel.Token))
            {
                if (update.Text is not null)
                {
                    output.Write(update.Text);
                    output.Flush();
                }

                if (update.Result is { FinishReason: "content_filter" })
                {
                    output.Write(" [reply cut: it started to repeat the character's instructions]");
                }
            }

            output.WriteLine();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            output.WriteLine(" [stopped]");
        }
        catch (TurnException ex)
        {
            output.WriteLine();
            CliApp.Error(ex.Message);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs a slash command; returns false to leave the chat.</summary>
    private async Task<bool> CommandAsync(string text, TextWriter output, CancellationToken cancellationToken)
    {
        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (parts[0].ToLowerInvariant())
        {
            case "/exit" or "/quit":
                return false;
            case "/help":
                output.WriteLine("""
                    /history [n]   show the last n messages (default 20)
                    /forget        delete this conversation's history
                    /model [id]    show or change the model for this session
                    /exit          leave (Ctrl+D too); Ctrl+C stops a reply
                    A line ending in \ continues on the next line; a line with only \"\"\" starts and ends a block.
                    """);
                return true;
            case "/forget":
                var deleted = await pipeline.ForgetAsync(_key, cancellationToken);
                output.WriteLine($"Forgot {deleted} messages. {character.Name} starts fresh with you.");
                return true;
            case "/model":
                if (parts.Length > 1)
                {
                    _model = parts[1];
                }

                output.WriteLine($"Model: {_model}");
                return true;
            case "/history":
                var count = parts.Length > 1 && int.TryParse(parts[1], out var n) && n > 0 ? n : 20;
                var conversation = await store.GetOrCreateConversationAsync(_key, PrivacyLevel.DirectMessage, cancellationToken);
                var messages = await store.GetRecentMessagesAsync(conversation, count, cancellationToken);
                if (messages.Count == 0)
                {
                    output.WriteLine("No messages yet.");
                }

                foreach (var message in messages)
                {
                    var who = message.Role == MessageRole.User ? user : character.Name;
                    output.WriteLine($"[{message.CreatedAt.ToLocalTime():yyyy-MM-dd HH:mm}] {who}: {message.Content}");
                }

                return true;
            default:
                output.WriteLine($"Unknown command {parts[0]}; /help lists commands.");
                return true;
        }
    }

    private static async Task<string?> ReadMessageAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var first = await input.ReadLineAsync(cancellationToken);
        if (first is null)
        {
            return null;
        }

        var sb = new StringBuilder();
        if (first.Trim() == Block)
        {
            while (await input.ReadLineAsync(cancellationToken) is { } line && line.Trim() != Block)
            {
                sb.AppendLine(line);
            }

            return sb.ToString().Trim();
        }

        var current = first;
        while (current.EndsWith('\\'))
        {
            sb.AppendLine(current[..^1]);
            output.Write("...> ");
            output.Flush();
            current = await input.ReadLineAsync(cancellationToken) ?? "";
        }

        sb.Append(current);
        return sb.ToString().Trim();
    }
}
