using System.Globalization;
using System.Numerics.Tensors;

namespace WhisperEngine.Benchmarks.Memory;

/// <summary>Synthetic memories with topic structure: memory i belongs to topic i mod topics; its vector is the topic's centre plus noise, its text mostly the topic's words.</summary>
internal static class ClusteredVectors
{
    /// <summary>Unit vectors, <paramref name="count"/> rows of <paramref name="dimensions"/>.</summary>
    public static float[] Make(int count, int dimensions, int topics, int seed)
    {
        var centres = new Random(1000 + topics);
        var centre = new float[topics * dimensions];
        for (var i = 0; i < centre.Length; i++)
        {
            centre[i] = (float)(centres.NextDouble() - 0.5);
        }

        var random = new Random(seed);
        var rows = new float[count * dimensions];
        for (var i = 0; i < count; i++)
        {
            var row = rows.AsSpan(i * dimensions, dimensions);
            var t = i % topics;
            for (var j = 0; j < dimensions; j++)
            {
                row[j] = centre[(t * dimensions) + j] + (float)((random.NextDouble() - 0.5) * 1.2);
            }

            TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
        }

        return rows;
    }

    /// <summary>Texts of about twelve words, eight from the memory's topic vocabulary.</summary>
    public static string[] Texts(int count, int topics, int seed)
    {
        string[] common = ["really", "today", "think", "great", "friend", "home", "work", "time", "good", "going", "weekend", "love"];
        var random = new Random(seed);
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            var t = i % topics;
            var words = new List<string>(12);
            for (var w = 0; w < 8; w++)
            {
                words.Add(string.Create(CultureInfo.InvariantCulture, $"topic{t}word{random.Next(20)}"));
            }

            for (var w = 0; w < 4; w++)
            {
                words.Add(common[random.Next(common.Length)]);
            }

            texts[i] = string.Join(' ', words);
        }

        return texts;
    }
}
