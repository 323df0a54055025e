using System.ClientModel.Primitives;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>An HTTP response without a body, to build the <c>ClientResultException</c> the OpenAI SDK throws.</summary>
public sealed class FakePipelineResponse(int status, IReadOnlyDictionary<string, string>? headers = null) : PipelineResponse
{
    private readonly FakePipelineResponseHeaders _headers = new(headers ?? new Dictionary<string, string>());

    public override int Status { get; } = status;

    public override string ReasonPhrase => "";

    public override Stream? ContentStream { get; set; }

    public override BinaryData Content => BinaryData.Empty;

    protected override PipelineResponseHeaders HeadersCore => _headers;

    public override BinaryData BufferContent(CancellationToken cancellationToken = default) => BinaryData.Empty;

    public override ValueTask<BinaryData> BufferContentAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(BinaryData.Empty);

    public override void Dispose()
    {
    }
}
