using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Models;

namespace WhisperEngine.AI.Chat;

/// <summary>
/// Tries the primary model, then each fallback named in <see cref="ChatOptionKeys.FallbackModels"/>, until one
/// answers. A stream fails over only while no text has reached the caller.
/// </summary>
public sealed partial class FallbackChatClient(IChatClient inner, ILogger logger) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var models = Models(options);
        for (var i = 0; ; i++)
        {
            try
            {
                return await base.GetResponseAsync(messages, options.WithModel(models[i]), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && i + 1 < models.Count)
            {
                Log.FallingBack(logger, models[i], models[i + 1], ModelCallException.From(ex, models[i]).Outcome);
            }
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var models = Models(options);
        for (var i = 0; i < models.Count; i++)
        {
            var sentText = false;
            Exception? failure = null;
            await using (var stream = base.GetStreamingResponseAsync(messages, options.WithModel(models[i]), cancellationToken).GetAsyncEnumerator(cancellationToken))
            {
                while (true)
                {
                    try
                    {
                        if (!await stream.MoveNextAsync())
                        {
                            yield break;
                        }
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !sentText && i + 1 < models.Count)
                    {
                        failure = ex;
                        break;
                    }

                    sentText |= !string.IsNullOrEmpty(stream.Current.Text);
                    yield return stream.Current;
                }
            }

            Log.FallingBack(logger, models[i], models[i + 1], ModelCallException.From(failure!, models[i]).Outcome);
        }
    }

    private static List<string> Models(ChatOptions? options)
    {
        var models = new List<string>();
        if (!string.IsNullOrWhiteSpace(options?.ModelId))
        {
            models.Add(options.ModelId);
        }

        if (options.GetEngineProperty<string[]>(ChatOptionKeys.FallbackModels) is { } fallbacks)
        {
            models.AddRange(fallbacks.Where(f => !models.Contains(f, StringComparer.Ordinal)));
        }

        if (models.Count == 0)
        {
            throw new ArgumentException("No model to call: ChatOptions.ModelId is empty.", nameof(options));
        }

        return models;
    }

    private static partial class Log
    {
        [LoggerMessage(2002, LogLevel.Warning, "Model {Model} failed ({Outcome}); falling back to {Fallback}")]
        public static partial void FallingBack(ILogger logger, string model, string fallback, string outcome);
    }
}
