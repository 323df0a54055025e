using Microsoft.Extensions.AI;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>One call a <see cref="FakeChatClient"/> received.</summary>
/// <param name="Messages">A snapshot of the messages sent, in order.</param>
/// <param name="Options">The options as passed (not copied).</param>
/// <param name="Streaming">True for <c>GetStreamingResponseAsync</c>.</param>
public sealed record FakeChatCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, bool Streaming);
