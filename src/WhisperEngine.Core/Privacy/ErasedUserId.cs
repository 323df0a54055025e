using System.Security.Cryptography;

namespace WhisperEngine.Core.Privacy;

/// <summary>
/// The pseudonym that replaces a person's id in rows kept for accounting (the usage ledger). Random, not derived from
/// the id, so it cannot be traced back; one per erasure, so reports still count distinct people correctly.
/// </summary>
public static class ErasedUserId
{
    /// <summary>What every pseudonym starts with.</summary>
    public const string Prefix = "erased-";

    /// <summary>A new pseudonym: <c>erased-</c> and 12 random hex digits.</summary>
    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
