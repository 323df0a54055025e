using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WhisperEngine.Api.Contracts;
using WhisperEngine.Core.Bots;
using WhisperEngine.Core.Conversations;
using WhisperEngine.Core.Turns;

namespace WhisperEngine.Api;

/// <summary>
/// <c>POST /v1/chat/completions</c>: <c>model</c> names the bot (character), <c>user</c> the person. The engine keeps
/// the conversation, so only the newest user message of the request is used; earlier messages and system messages
/// sent by the client are ignored (the character's persona is the system prompt).
/// </summary>
/// <remarks>
/// Where the message was said comes from <c>metadata</c>: <c>channel_id</c> (default <c>api</c>), <c>privacy</c>
/// (<c>dm</c>, <c>private</c> or <c>public</c>; default <c>dm</c>: a private conversation of this user with the bot) and
/// <c>user_name</c> (how the person is called in memories; default the <c>user</c> id). Memory recall follows them:
/// a public channel never sees what was said in a DM. The tenant is the bot's own, never the client's choice.
/// </remarks>
internal sealed partial class ChatCompletionsEndpoint(TurnPipeline pipeline, IBotDirectory bots, TimeProvider time, ILogger<ChatCompletionsEndpoint> logger,
    WarmupKey warmup)
{
    public const string DefaultUser = "default";

    /// <summary>The channel of API conversations when the request names none.</summary>
    public const string DefaultChannel = "api";

    private const int MaxChannelLength = 128;
    private const int MaxUserNameLength = 100;

    // Written around every server-sent event; allocated once, not per chunk.
    private static readonly byte[] EventPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventSuffix = "\n\n"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        ChatCompletionRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, ApiJsonContext.Default.ChatCompletionRequest, context.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or System.Text.DecoderFallbackException or ArgumentException)
        {
            await ApiErrors.WriteAsync(context, 400, $"The request body is not valid JSON: {ex.Message}", "invalid_request_error", null, "invalid_json");
            return;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ApiErrors.WriteAsync(context, 413, "The request body is too large.", "invalid_request_error", null, "request_too_large");
            return;
        }

        if (request is null)
        {
            await ApiErrors.WriteAsync(context, 400, "The request body is empty.", "invalid_request_error", null, "invalid_json");
            return;
        }

        if (string.IsNullOrWhiteSpace(request.Model))
        {
            await ApiErrors.WriteAsync(context, 400, "'model' is required: it names the character (see GET /v1/models).", "invalid_request_error", "model", "missing_model");
            return;
        }

        var last = request.Messages is { Count: > 0 } messages ? messages[^1] : null;
        if (last is null || last.Role != "user")
        {
            await ApiErrors.WriteAsync(context, 400, "'messages' must end with a message of role 'user'.", "invalid_request_error", "messages", "invalid_messages");
            return;
        }

        string? text;
        try
        {
            text = last.Text();
        }
        catch (InvalidOperationException)
        {
            await ApiErrors.WriteAsync(context, 400, "The last message's content is not valid UTF-8.", "invalid_request_error", "messages", "invalid_encoding");
            return;
        }

        if (text is null)
        {
            await ApiErrors.WriteAsync(context, 400, "The last message's 'content' must be a string or an array of text parts.", "invalid_request_error", "messages", "invalid_messages");
            return;
        }

        var user = string.IsNullOrWhiteSpace(request.User) ? DefaultUser : request.User.Trim();
        if (user.Length > 256)
        {
            await ApiErrors.WriteAsync(context, 400, "'user' is longer than 256 characters.", "invalid_request_error", "user", "invalid_user");
            return;
        }

        var metadata = request.Metadata ?? [];
        var channel = metadata.GetValueOrDefault("channel_id") ?? DefaultChannel;
        if (channel.Length is 0 or > MaxChannelLength || channel.Any(ch => ch <= ' ' || ch == '\u007f'))
        {
            await ApiErrors.WriteAsync(context, 400, $"metadata.channel_id must be 1 to {MaxChannelLength} characters without spaces or control characters, e.g. \"general\" or a channel id.",
                "invalid_request_error", "metadata", "invalid_channel");
            return;
        }

        if (!TryPrivacy(metadata.GetValueOrDefault("privacy"), out var privacy))
        {
            await ApiErrors.WriteAsync(context, 400, "metadata.privacy must be one of dm, private, public (default dm: a private conversation with this user).",
                "invalid_request_error", "metadata", "invalid_privacy");
            return;
        }

        var userName = metadata.GetValueOrDefault("user_name");
        if (userName is not null && (string.IsNullOrWhiteSpace(userName) || userName.Length > MaxUserNameLength || userName.Any(char.IsControl)))
        {
            await ApiErrors.WriteAsync(context, 400, $"metadata.user_name must be 1 to {MaxUserNameLength} characters on one line.",
                "invalid_request_error", "metadata", "invalid_user_name");
            return;
        }

        // The tenant is the bot's: a client never chooses whose data it reaches. An unknown bot fails in the pipeline (404).
        // Only serve's own warm-up, which holds the process's key, talks in the warm-up tenant.
        var tenant = warmup.Marks(context.Request) ? WarmupTurns.Tenant : bots.Find(request.Model)?.TenantId ?? ConversationKey.DefaultTenant;
        var turn = new TurnRequest(new ConversationKey(tenant, request.Model, user, channel), privacy, text) { UserName = userName };
        var id = "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        if (request.Stream)
        {
            await StreamAsync(context, turn, id, created, request.StreamOptions?.IncludeUsage == true);
            return;
        }

        TurnResult result;
        try
        {
            result = await pipeline.RunAsync(turn, context.RequestAborted);
        }
        catch (TurnException ex)
        {
            await WriteTurnErrorAsync(context, ex);
            return;
        }

        var response = new ChatCompletionResponse(id, "chat.completion", created, request.Model,
            [new Choice(0, new ResponseMessage("assistant", result.Reply), null, result.FinishReason)],
            new Contracts.Usage(result.PromptTokens, result.CompletionTokens, result.PromptTokens + result.CompletionTokens));
        await context.Response.WriteAsJsonAsync(response, ApiJsonContext.Default.ChatCompletionResponse, contentType: null, context.RequestAborted);
    }

    private async Task StreamAsync(HttpContext context, TurnRequest turn, string id, long created, bool includeUsage)
    {
        await using var updates = pipeline.StreamAsync(turn, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        bool hasFirst;
        try
        {
            // Pull the first update before any byte is written, so that validation, storage and model errors
            // still get a proper status code.
            hasFirst = await updates.MoveNextAsync();
        }
        catch (TurnException ex)
        {
            await WriteTurnErrorAsync(context, ex);
            return;
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var model = turn.Conversation.BotId;
        await WriteChunkAsync(response, new ChatCompletionResponse(id, "chat.completion.chunk", created, model,
            [new Choice(0, null, new ResponseMessage("assistant", ""), null)], null), context.RequestAborted);

        var more = hasFirst;
        while (more)
        {
            var update = updates.Current;
            if (update.Text is { Length: > 0 } text)
            {
                await WriteChunkAsync(response, new ChatCompletionResponse(id, "chat.completion.chunk", created, model,
                    [new Choice(0, null, new ResponseMessage(null, text), null)], null), context.RequestAborted);
            }

            if (update.Result is { } result)
            {
                await WriteChunkAsync(response, new ChatCompletionResponse(id, "chat.completion.chunk", created, model,
                    [new Choice(0, null, new ResponseMessage(null, null), result.FinishReason)], null), context.RequestAborted);
                if (includeUsage)
                {
                    await WriteChunkAsync(response, new ChatCompletionResponse(id, "chat.completion.chunk", created, model, [],
                        new Contracts.Usage(result.PromptTokens, result.CompletionTokens, result.PromptTokens + result.CompletionTokens)), context.RequestAborted);
                }
            }

            try
            {
                more = await updates.MoveNextAsync();
            }
            catch (TurnException ex)
            {
                // Headers are gone: report the failure as an error event, as OpenAI does, then end the stream.
                var (_, type, code) = ApiErrors.Map(ex);
                var error = JsonSerializer.Serialize(new ErrorResponse(new ErrorBody(ex.Message, type, null, code)), ApiJsonContext.Default.ErrorResponse);
                await response.WriteAsync($"data: {error}\n\n", context.RequestAborted);
                return;
            }
        }

        await response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    private static async Task WriteChunkAsync(HttpResponse response, ChatCompletionResponse chunk, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(chunk, ApiJsonContext.Default.ChatCompletionResponse);
        await response.Body.WriteAsync(EventPrefix, cancellationToken);
        await response.Body.WriteAsync(json, cancellationToken);
        await response.Body.WriteAsync(EventSuffix, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private Task WriteTurnErrorAsync(HttpContext context, TurnException exception)
    {
        var (status, type, code) = ApiErrors.Map(exception);
        if (status >= 500)
        {
            Log.TurnFailed(logger, exception.Kind, exception.Message);
        }

        if (exception.Kind == TurnErrorKind.Busy)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return ApiErrors.WriteAsync(context, status, exception.Message, type, exception.Kind == TurnErrorKind.UnknownCharacter ? "model" : null, code);
    }

    private static bool TryPrivacy(string? value, out PrivacyLevel privacy)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "dm":
                privacy = PrivacyLevel.DirectMessage;
                return true;
            case "private":
                privacy = PrivacyLevel.PrivateChannel;
                return true;
            case "public":
                privacy = PrivacyLevel.PublicChannel;
                return true;
            default:
                privacy = default;
                return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4001, LogLevel.Warning, "Chat completion failed ({Kind}): {Reason}")]
        public static partial void TurnFailed(ILogger logger, TurnErrorKind kind, string reason);
    }
}
