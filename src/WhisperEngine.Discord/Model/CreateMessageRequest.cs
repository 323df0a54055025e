namespace WhisperEngine.Discord.Model;

/// <summary>The body of <c>POST /channels/{id}/messages</c>.</summary>
internal sealed record CreateMessageRequest
{
    public required string Content { get; init; }

    public MessageReference? MessageReference { get; init; }

    public AllowedMentions? AllowedMentions { get; init; }

    /// <summary>With <see cref="EnforceNonce"/>, Discord answers a repeated nonce with the first message instead of a duplicate.</summary>
    public string? Nonce { get; init; }

    public bool? EnforceNonce { get; init; }
}
