using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;
using WhisperEngine.Discord.Model;

namespace WhisperEngine.Discord.Bot;

public sealed partial class DiscordBotRunner
{
    private void OnMessage(DiscordMessage message, CancellationToken cancellationToken)
    {
        var self = _self;
        if (self is null || message.Author.Id == self.Id || message.Type is not (0 or 19))
        {
            // Our own messages, and system messages (joins, pins, ...), are never answered.
            return;
        }

        var fromBot = message.Author.IsBot || message.WebhookId is not null;
        if (!fromBot)
        {
            _loopGuard.HumanSpoke(message.ChannelId);
        }

        if (!MessageAddressing.IsAddressedTo(message, self.Id))
        {
            BotLog.Ignored(_logger, BotId, message.Id, message.ChannelId, "not addressed to this bot");
            return;
        }

        if (fromBot)
        {
            if (!_options.AllowBots)
            {
                BotLog.Ignored(_logger, BotId, message.Id, message.ChannelId, "sent by a bot (discord.allow_bots is false)");
                return;
            }

            if (!_loopGuard.TryAnswerBot(message.ChannelId))
            {
                BotLog.LoopGuard(_logger, BotId, message.Author.Id, message.ChannelId, _loopGuard.Max);
                return;
            }
        }

        var text = MessageAddressing.TextFor(message, self.Id);
        BotLog.Received(_logger, BotId, message.Id, message.Author.Id, message.ChannelId, text);
        _ = _channels.Enqueue(message.ChannelId, () => HandleSafelyAsync(message, text, cancellationToken));
    }

    private async Task HandleSafelyAsync(DiscordMessage message, string text, CancellationToken cancellationToken)
    {
        try
        {
            if (TryParseCommand(text, out var command, out var arguments))
            {
                if (await RunCommandAsync(message, command, arguments, cancellationToken) is { } answer)
                {
                    await SendAsync(message, answer, cancellationToken);
                    return;
                }
            }

            await AnswerAsync(message, text, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down; the user's message is stored and will be in the history next time.
        }
        catch (Exception ex)
        {
            BotLog.Unexpected(_logger, BotId, message.ChannelId, ex);
        }
    }

    private async Task AnswerAsync(DiscordMessage message, string text, CancellationToken cancellationToken)
    {
        var name = CharacterName();
        if (text.Length == 0)
        {
            await SendAsync(message, InCharacterLines.EmptyMention(name), cancellationToken);
            return;
        }

        var privacy = await PrivacyOfAsync(message, cancellationToken);
        var request = new TurnRequest(KeyOf(message), privacy, text) { UserName = message.Author.GlobalName ?? message.Author.Username };
        string reply;
        await using (_rest!.StartTyping(message.ChannelId, cancellationToken))
        {
            try
            {
                var result = await _pipeline.RunAsync(request, cancellationToken);
                reply = string.IsNullOrWhiteSpace(result.Reply) ? InCharacterLines.Blocked(name) : result.Reply;
            }
            catch (TurnException ex)
            {
                BotLog.TurnFailed(_logger, BotId, message.Author.Id, message.ChannelId, ex.Kind.ToString(), ex.UserMessageStored);
                reply = InCharacterLines.ForFailure(name, ex.Kind);
            }
        }

        await SendAsync(message, reply, cancellationToken);
    }

    private async Task SendAsync(DiscordMessage replyTo, string text, CancellationToken cancellationToken)
    {
        try
        {
            await _rest!.CreateMessagesAsync(replyTo.ChannelId, text, replyTo.Id, cancellationToken);
        }
        catch (DiscordException ex)
        {
            // The reply is stored with the conversation; only its delivery failed.
            BotLog.SendFailed(_logger, BotId, replyTo.ChannelId, ex.Message);
        }
    }

    /// <summary>One conversation per person per channel, in this bot's tenant.</summary>
    private ConversationKey KeyOf(DiscordMessage message) =>
        new(_options.Bot.TenantId, _options.Bot.Id, message.Author.Id, message.ChannelId);

    private string CharacterName() => _characters.Find(_options.Bot.CharacterId)?.Name ?? _options.Bot.CharacterId;
}
