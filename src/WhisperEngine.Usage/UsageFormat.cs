using System.Globalization;

namespace WhisperEngine.Usage;

/// <summary>How reports show amounts and shares to people (machine formats keep full precision).</summary>
public static class UsageFormat
{
    /// <summary>US dollars with enough decimals to tell small amounts apart: $1,234.56, $0.5234, $0.000036.</summary>
    public static string Money(decimal usd) => usd switch
    {
        0m => "$0",
        >= 1m or <= -1m => usd.ToString("$#,##0.00", CultureInfo.InvariantCulture),
        >= 0.01m or <= -0.01m => usd.ToString("$0.0000", CultureInfo.InvariantCulture),
        _ => usd.ToString("$0.000000", CultureInfo.InvariantCulture),
    };

    /// <summary>A 0-1 share as a percentage with one decimal: 65.4%.</summary>
    public static string Percent(double share) => share is > 0 and < 0.0005
        ? "<0.1%"
        : (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>An axis value in US dollars with no more decimals than it has: $0, $0.25, $1.5.</summary>
    public static string Tick(double usd) => "$" + ((decimal)usd).ToString("#,##0.########", CultureInfo.InvariantCulture);

    /// <summary>A count or average with thousands separators and at most one decimal.</summary>
    public static string Number(double value) => value.ToString("#,##0.#", CultureInfo.InvariantCulture);

    /// <summary>Milliseconds, or a dash when there is no value.</summary>
    public static string Millis(double? ms) => ms is { } v ? v.ToString("#,##0", CultureInfo.InvariantCulture) + " ms" : "-";
}
