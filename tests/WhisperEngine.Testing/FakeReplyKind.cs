namespace WhisperEngine.Testing;

/// <summary>What a <see cref="FakeReply"/> makes <see cref="FakeOpenAiServer"/> do.</summary>
public enum FakeReplyKind
{
    /// <summary>A successful completion, plain or streamed.</summary>
    Text,

    /// <summary>An OpenAI error body with a non-success status code.</summary>
    Error,

    /// <summary>A 200 response whose body is not valid JSON.</summary>
    MalformedJson,

    /// <summary>A response cut off mid-body by aborting the connection.</summary>
    DropStream,

    /// <summary>A delay before the default text reply.</summary>
    Hang,
}
