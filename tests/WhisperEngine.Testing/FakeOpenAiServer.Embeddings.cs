using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace WhisperEngine.Testing;

/// <summary>The <c>POST …/embeddings</c> route: deterministic bag-of-words vectors, in <c>float</c> or <c>base64</c> encoding.</summary>
public sealed partial class FakeOpenAiServer
{
    private volatile FakeReply? _embeddingError;

    /// <summary>Length of the vectors <c>/embeddings</c> returns (default 64), whatever model is asked for.</summary>
    public int EmbeddingDimensions { get; set; } = 64;

    /// <summary>When set (a <see cref="FakeReply.Error"/> reply), every embeddings request gets this error.</summary>
    public FakeReply? EmbeddingError
    {
        get => _embeddingError;
        set => _embeddingError = value;
    }

    /// <summary>Texts embedded so far, in arrival order.</summary>
    public int EmbeddedTexts => _embeddedTexts;

    private int _embeddedTexts;

    /// <summary>
    /// The vector the fake gives <paramref name="text"/>: each lower-cased word adds 1 to a bucket chosen by a stable
    /// hash (FNV-1a), then the vector is normalised. Texts sharing words are close, as with a real model.
    /// </summary>
    public static float[] EmbeddingOf(string text, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[dimensions];
        foreach (var word in text.ToLowerInvariant().Split([' ', ',', '.', '!', '?', ':', ';', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = 2166136261u;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619u;
            }

            vector[(int)(hash % (uint)dimensions)] += 1;
        }

        vector[0] += 0.01f;
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    private async Task HandleEmbeddingsAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        if (_embeddingError is { } error)
        {
            await WriteErrorAsync(context.Response, error, cancellationToken);
            return;
        }

        List<string> inputs = [];
        var base64 = false;
        if (request.Json is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("input", out var input))
        {
            if (input.ValueKind == JsonValueKind.String)
            {
                inputs.Add(input.GetString()!);
            }
            else if (input.ValueKind == JsonValueKind.Array)
            {
                inputs.AddRange(input.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
            }

            base64 = root.TryGetProperty("encoding_format", out var format) && format.ValueKind == JsonValueKind.String && format.GetString() == "base64";
        }

        if (inputs.Count == 0)
        {
            await WriteErrorAsync(context.Response, FakeReply.Error(400, "'input' must be a string or an array of strings.", "invalid_request_error"), cancellationToken);
            return;
        }

        Interlocked.Add(ref _embeddedTexts, inputs.Count);
        var dimensions = EmbeddingDimensions;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            var tokens = 0;
            for (var i = 0; i < inputs.Count; i++)
            {
                var vector = EmbeddingOf(inputs[i], dimensions);
                tokens += inputs[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                json.WriteStartObject();
                json.WriteString("object", "embedding");
                json.WriteNumber("index", i);
                if (base64)
                {
                    var bytes = new byte[vector.Length * sizeof(float)];
                    for (var j = 0; j < vector.Length; j++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(j * sizeof(float)), vector[j]);
                    }

                    json.WriteString("embedding", Convert.ToBase64String(bytes));
                }
                else
                {
                    json.WriteStartArray("embedding");
                    foreach (var v in vector)
                    {
                        json.WriteNumberValue(v);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("model", request.Model ?? "fake-embedding");
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", tokens);
            json.WriteNumber("total_tokens", tokens);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        await WriteBodyAsync(context.Response, 200, "application/json", buffer.ToArray(), cancellationToken);
    }
}
