namespace WhisperEngine.Usage.Charts;

/// <summary>An RGB image in memory with the few drawing operations a bar chart needs. Not thread-safe.</summary>
internal sealed class Raster
{
    public Raster(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        FillRect(0, 0, width, height, background);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Rows top to bottom, three bytes (R, G, B) per pixel.</summary>
    public byte[] Pixels { get; }

    /// <summary>Fills a rectangle, clipped to the image.</summary>
    public void FillRect(int x, int y, int width, int height, Rgb color)
    {
        var x0 = Math.Max(0, x);
        var y0 = Math.Max(0, y);
        var x1 = Math.Min(Width, x + width);
        var y1 = Math.Min(Height, y + height);
        for (var row = y0; row < y1; row++)
        {
            for (var col = x0; col < x1; col++)
            {
                var i = ((row * Width) + col) * 3;
                Pixels[i] = color.R;
                Pixels[i + 1] = color.G;
                Pixels[i + 2] = color.B;
            }
        }
    }

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (x, y), each font pixel a scale × scale square.</summary>
    public void DrawText(int x, int y, string text, int scale, Rgb color)
    {
        foreach (var c in text)
        {
            var glyph = BitmapFont.Glyph(c);
            for (var row = 0; row < BitmapFont.Height; row++)
            {
                for (var col = 0; col < BitmapFont.Width; col++)
                {
                    if ((glyph[row] & (0x10 >> col)) != 0)
                    {
                        FillRect(x + (col * scale), y + (row * scale), scale, scale, color);
                    }
                }
            }

            x += BitmapFont.Advance * scale;
        }
    }

    /// <summary>The pixel at (x, y), for tests.</summary>
    public Rgb this[int x, int y]
    {
        get
        {
            var i = ((y * Width) + x) * 3;
            return new Rgb(Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }
}
