using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WhisperEngine.Hosting.Migration;

/// <summary>SHA-256 over rows in a canonical text form, the same whichever database the values come from.</summary>
internal sealed class RowHasher : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly StringBuilder _row = new();

    public RowHasher Add(string? value)
    {
        // Length-prefixed, so that no content can imitate a field boundary.
        _row.Append(value is null ? "-1:" : $"{value.Length}:").Append(value);
        return this;
    }

    public RowHasher Add(long value) => Add(value.ToString(CultureInfo.InvariantCulture));

    public RowHasher Add(long? value) => Add(value?.ToString(CultureInfo.InvariantCulture));

    public RowHasher Add(double? value) => Add(value?.ToString("R", CultureInfo.InvariantCulture));

    public RowHasher Add(decimal? value) => Add(value is { } d ? (d / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : null);

    /// <summary>Raw bytes (a vector), hashed as they are after a length prefix; null is told apart from empty.</summary>
    public RowHasher Add(byte[]? value)
    {
        _row.Append(value is null ? "-1b:" : $"{value.Length}b:");
        _hash.AppendData(Encoding.UTF8.GetBytes(_row.ToString()));
        _row.Clear();
        if (value is not null)
        {
            _hash.AppendData(value);
        }

        return this;
    }

    public void EndRow()
    {
        _row.Append('\n');
        _hash.AppendData(Encoding.UTF8.GetBytes(_row.ToString()));
        _row.Clear();
    }

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset())[..16];

    public void Dispose() => _hash.Dispose();
}
