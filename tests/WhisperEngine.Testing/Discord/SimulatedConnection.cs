namespace WhisperEngine.Testing.Discord;

/// <summary>A gateway connection as the simulator saw it.</summary>
/// <param name="Number">1-based order of opening.</param>
/// <param name="Path">The URL path it opened (<c>/gateway</c>, or <c>/gateway-resume</c> for the resume URL).</param>
/// <param name="Query">The query string, e.g. <c>?v=10&amp;encoding=json</c>.</param>
/// <param name="OpenedAt">When it was accepted.</param>
/// <param name="ClosedAt">When it ended, if it has.</param>
/// <param name="ClientCloseCode">The close code of the client's close frame, if it sent one.</param>
/// <param name="ServerCloseCode">The close code the simulator closed with, if it did.</param>
public sealed record SimulatedConnection(
    int Number,
    string Path,
    string Query,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    int? ClientCloseCode,
    int? ServerCloseCode);
