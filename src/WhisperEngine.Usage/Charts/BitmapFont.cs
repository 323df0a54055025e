namespace WhisperEngine.Usage.Charts;

/// <summary>
/// A 5×7 pixel font for printable ASCII (with two more rows for the descenders of g, j, p, q, y), so the PNG chart needs
/// no font files or imaging library. Each glyph is rows top to bottom, five bits each, 0x10 the leftmost pixel; rows not
/// written are blank. Characters outside ASCII draw as '?'.
/// </summary>
internal static class BitmapFont
{
    public const int Width = 5;
    /// <summary>Rows of a capital letter: what text is centred on.</summary>
    public const int CapHeight = 7;

    /// <summary>Rows of a glyph, descenders included.</summary>
    public const int Height = 9;

    /// <summary>Advance per character in font pixels: the glyph and one column of space.</summary>
    public const int Advance = 6;

    private static readonly byte[][] Glyphs = Parse(
    [
        "00 00 00 00 00 00 00", "04 04 04 04 04 00 04", "0A 0A 0A 00 00 00 00", "0A 0A 1F 0A 1F 0A 0A", // space ! " #
        "04 0F 14 0E 05 1E 04", "18 19 02 04 08 13 03", "0C 12 14 08 15 12 0D", "0C 04 08 00 00 00 00", // $ % & '
        "02 04 08 08 08 04 02", "08 04 02 02 02 04 08", "00 04 15 0E 15 04 00", "00 04 04 1F 04 04 00", // ( ) * +
        "00 00 00 00 0C 04 08", "00 00 00 1F 00 00 00", "00 00 00 00 00 0C 0C", "00 01 02 04 08 10 00", // , - . /
        "0E 11 13 15 19 11 0E", "04 0C 04 04 04 04 0E", "0E 11 01 02 04 08 1F", "1F 02 04 02 01 11 0E", // 0 1 2 3
        "02 06 0A 12 1F 02 02", "1F 10 1E 01 01 11 0E", "06 08 10 1E 11 11 0E", "1F 01 02 04 08 08 08", // 4 5 6 7
        "0E 11 11 0E 11 11 0E", "0E 11 11 0F 01 02 0C", "00 0C 0C 00 0C 0C 00", "00 0C 0C 00 0C 04 08", // 8 9 : ;
        "02 04 08 10 08 04 02", "00 00 1F 00 1F 00 00", "08 04 02 01 02 04 08", "0E 11 01 02 04 00 04", // < = > ?
        "0E 11 01 0D 15 15 0E", "0E 11 11 11 1F 11 11", "1E 11 11 1E 11 11 1E", "0E 11 10 10 10 11 0E", // @ A B C
        "1C 12 11 11 11 12 1C", "1F 10 10 1E 10 10 1F", "1F 10 10 1E 10 10 10", "0E 11 10 17 11 11 0F", // D E F G
        "11 11 11 1F 11 11 11", "0E 04 04 04 04 04 0E", "07 02 02 02 02 12 0C", "11 12 14 18 14 12 11", // H I J K
        "10 10 10 10 10 10 1F", "11 1B 15 15 11 11 11", "11 11 19 15 13 11 11", "0E 11 11 11 11 11 0E", // L M N O
        "1E 11 11 1E 10 10 10", "0E 11 11 11 15 12 0D", "1E 11 11 1E 14 12 11", "0F 10 10 0E 01 01 1E", // P Q R S
        "1F 04 04 04 04 04 04", "11 11 11 11 11 11 0E", "11 11 11 11 11 0A 04", "11 11 11 15 15 15 0A", // T U V W
        "11 11 0A 04 0A 11 11", "11 11 11 0A 04 04 04", "1F 01 02 04 08 10 1F", "0E 08 08 08 08 08 0E", // X Y Z [
        "00 10 08 04 02 01 00", "0E 02 02 02 02 02 0E", "04 0A 11 00 00 00 00", "00 00 00 00 00 00 1F", // \ ] ^ _
        "08 04 02 00 00 00 00", "00 00 0E 01 0F 11 0F", "10 10 16 19 11 11 1E", "00 00 0E 10 10 11 0E", // ` a b c
        "01 01 0D 13 11 11 0F", "00 00 0E 11 1F 10 0E", "06 09 08 1C 08 08 08", "00 00 0F 11 11 11 0F 01 0E", // d e f g
        "10 10 16 19 11 11 11", "04 00 0C 04 04 04 0E", "02 00 06 02 02 02 02 12 0C", "10 10 12 14 18 14 12", // h i j k
        "0C 04 04 04 04 04 0E", "00 00 1A 15 15 11 11", "00 00 16 19 11 11 11", "00 00 0E 11 11 11 0E", // l m n o
        "00 00 1E 11 11 11 1E 10 10", "00 00 0F 11 11 11 0F 01 01", "00 00 16 19 10 10 10", "00 00 0E 10 0E 01 1E", // p q r s
        "08 08 1C 08 08 09 06", "00 00 11 11 11 13 0D", "00 00 11 11 11 0A 04", "00 00 11 11 15 15 0A", // t u v w
        "00 00 11 0A 04 0A 11", "00 00 11 11 11 11 0F 01 0E", "00 00 1F 02 04 08 1F", "02 04 04 08 04 04 02", // x y z {
        "04 04 04 04 04 04 04", "08 04 04 02 04 04 08", "00 00 08 15 02 00 00",                         // | } ~
    ]);

    /// <summary>The seven row bitmaps of <paramref name="c"/>.</summary>
    public static byte[] Glyph(char c) => c is >= ' ' and <= '~' ? Glyphs[c - ' '] : Glyphs['?' - ' '];

    /// <summary>Width in pixels of <paramref name="text"/> drawn at <paramref name="scale"/>, without the trailing space.</summary>
    public static int Measure(string text, int scale) => text.Length == 0 ? 0 : ((text.Length * Advance) - 1) * scale;

    private static byte[][] Parse(string[] glyphs) =>
        [.. glyphs.Select(g =>
        {
            var rows = new byte[Height];
            var hex = g.Split(' ');
            for (var i = 0; i < hex.Length; i++)
            {
                rows[i] = Convert.ToByte(hex[i], 16);
            }

            return rows;
        })];
}
