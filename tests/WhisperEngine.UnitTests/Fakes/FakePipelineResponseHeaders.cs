using System.ClientModel.Primitives;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>Case-insensitive response headers for <see cref="FakePipelineResponse"/>.</summary>
public sealed class FakePipelineResponseHeaders(IReadOnlyDictionary<string, string> headers) : PipelineResponseHeaders
{
    private readonly Dictionary<string, string> _headers = new(headers, StringComparer.OrdinalIgnoreCase);

    public override bool TryGetValue(string name, out string? value)
    {
        var found = _headers.TryGetValue(name, out var text);
        value = text;
        return found;
    }

    public override bool TryGetValues(string name, out IEnumerable<string>? values)
    {
        var found = _headers.TryGetValue(name, out var text);
        values = found ? [text!] : null;
        return found;
    }

    public override IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _headers.GetEnumerator();
}
