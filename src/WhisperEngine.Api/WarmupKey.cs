using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace WhisperEngine.Api;

/// <summary>
/// Marks serve's own warm-up requests (<see cref="Core.Turns.WarmupTurns"/>): a random key made when the process starts,
/// held only in memory, never logged or stored. A chat request carrying it in <see cref="Header"/> runs in the warm-up
/// tenant; a request without it, or with any other value, runs as usual.
/// </summary>
internal sealed class WarmupKey
{
    public const string Header = "X-WhisperEngine-Warmup";

    private readonly byte[] _key;

    public WarmupKey()
    {
        Value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _key = Encoding.ASCII.GetBytes(Value);
    }

    /// <summary>The key, for the warm-up's own requests.</summary>
    public string Value { get; }

    /// <summary>True when <paramref name="request"/> carries the key (compared in constant time).</summary>
    public bool Marks(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var values) && values.Count == 1 && values[0] is { } value
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(value), _key);
}
