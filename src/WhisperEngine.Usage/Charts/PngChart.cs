using WhisperEngine.Usage.Reports;

namespace WhisperEngine.Usage.Charts;

/// <summary>The cost per model as a horizontal bar chart in a PNG, drawn with the built-in bitmap font.</summary>
public static class PngChart
{
    public const int Width = 1000;
    private const int Margin = 32;
    private const int TextScale = 2;
    private const int Top = 100;
    private const int RowHeight = 44;
    private const int BarHeight = 28;
    private const int MaxLabelChars = 32;
    private static readonly Rgb Background = Rgb.Parse("#ffffff");
    private static readonly Rgb Ink = Rgb.Parse("#1f2933");
    private static readonly Rgb Muted = Rgb.Parse("#616e7c");
    private static readonly Rgb Grid = Rgb.Parse("#e4e7eb");

    public static void Write(UsageReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        PngEncoder.Write(Draw(report), output);
    }

    internal static Raster Draw(UsageReport report)
    {
        var bars = ChartBar.PerModel(report);
        var rows = Math.Max(bars.Count, 1);
        var axisY = Top + (rows * RowHeight) + 4;
        var image = new Raster(Width, axisY + 44, Background);
        image.DrawText(Margin, 28, "Cost per model", 3, Ink);
        var period = report.From is { } from && report.To is { } to ? $", {from:yyyy-MM-dd} to {to:yyyy-MM-dd}" : "";
        image.DrawText(Margin, 64, $"{report.Requests:#,##0} requests, {UsageFormat.Money(report.CostUsd)} total{period}", TextScale, Muted);
        if (bars.Count == 0)
        {
            image.DrawText(Margin, Top + 12, "No model calls in this period.", TextScale, Muted);
            return image;
        }

        var labels = bars.Select(b => b.Label.Length > MaxLabelChars ? b.Label[..(MaxLabelChars - 2)] + ".." : b.Label).ToList();
        var barX = Margin + labels.Max(l => BitmapFont.Measure(l, TextScale)) + 16;
        var values = bars.Select(b => $"{UsageFormat.Money(b.CostUsd)} ({UsageFormat.Percent(b.Share)})").ToList();
        var barSpace = Width - Margin - barX - values.Max(v => BitmapFont.Measure(v, TextScale)) - 12;
        var axisMax = ChartBar.NiceCeiling((double)bars.Max(b => b.CostUsd));

        for (var tick = 0; tick <= 4; tick++)
        {
            var x = barX + (int)Math.Round(barSpace * tick / 4.0);
            image.FillRect(x, Top - 6, 1, axisY - Top + 6, Grid);
            var label = UsageFormat.Tick(axisMax * tick / 4);
            var width = BitmapFont.Measure(label, TextScale);
            image.DrawText(Math.Clamp(x - (width / 2), Margin, Width - Margin - width), axisY + 10, label, TextScale, Muted);
        }

        image.FillRect(barX, Top - 6, 1, axisY - Top + 6, Muted);
        for (var i = 0; i < bars.Count; i++)
        {
            var y = Top + (i * RowHeight);
            var length = (int)Math.Round(barSpace * (double)bars[i].CostUsd / axisMax);
            image.DrawText(Margin, y + ((RowHeight - (BitmapFont.CapHeight * TextScale)) / 2) - 2, labels[i], TextScale, Ink);
            image.FillRect(barX + 1, y + ((RowHeight - BarHeight) / 2) - 2, Math.Max(length, 1), BarHeight, Rgb.Parse(ChartBar.Palette[i % ChartBar.Palette.Count]));
            image.DrawText(barX + Math.Max(length, 1) + 10, y + ((RowHeight - (BitmapFont.CapHeight * TextScale)) / 2) - 2, values[i], TextScale, Ink);
        }

        return image;
    }
}
