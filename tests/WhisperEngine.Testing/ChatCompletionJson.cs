using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WhisperEngine.Testing;

/// <summary>Writes the JSON bodies of one chat completion, in the field names and shapes OpenAI uses.</summary>
internal sealed class ChatCompletionJson
{
    private const string SystemFingerprint = "fp_fake";

    // Like OpenAI: non-ASCII text is sent as UTF-8, not as \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _id;
    private readonly long _created;
    private readonly string _model;
    private readonly bool _usageNullInChunks;

    public ChatCompletionJson(string id, DateTimeOffset created, string model, bool usageNullInChunks)
    {
        _id = id;
        _created = created.ToUnixTimeSeconds();
        _model = model;
        _usageNullInChunks = usageNullInChunks;
    }

    /// <summary>A <c>chat.completion</c> object.</summary>
    public byte[] Completion(string content, string finishReason, int promptTokens, int completionTokens, decimal? cost = null) =>
        Write(writer =>
        {
            WriteHeader(writer, "chat.completion");
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteString("content", content);
            writer.WriteNull("refusal");
            writer.WriteStartArray("annotations");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            writer.WriteString("finish_reason", finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            WriteUsage(writer, promptTokens, completionTokens, cost);
            writer.WriteString("service_tier", "default");
            writer.WriteString("system_fingerprint", SystemFingerprint);
        });

    /// <summary>The first chunk of a stream: the assistant role and empty content.</summary>
    public byte[] RoleChunk() => Chunk(
        writer =>
        {
            writer.WriteString("role", "assistant");
            writer.WriteString("content", string.Empty);
            writer.WriteNull("refusal");
        },
        finishReason: null);

    /// <summary>A chunk carrying a piece of the assistant text.</summary>
    public byte[] ContentChunk(string content) =>
        Chunk(writer => writer.WriteString("content", content), finishReason: null);

    /// <summary>The chunk with an empty delta and the finish reason.</summary>
    public byte[] FinishChunk(string finishReason) => Chunk(_ => { }, finishReason);

    /// <summary>The last chunk when usage was requested: no choices, only usage.</summary>
    public byte[] UsageChunk(int promptTokens, int completionTokens, decimal? cost = null) =>
        Write(writer =>
        {
            WriteHeader(writer, "chat.completion.chunk");
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            WriteUsage(writer, promptTokens, completionTokens, cost);
            writer.WriteString("service_tier", "default");
            writer.WriteString("system_fingerprint", SystemFingerprint);
        });

    /// <summary>The <c>GET /v1/models</c> list.</summary>
    public static byte[] ModelList(IEnumerable<string> modelIds) =>
        Write(writer =>
        {
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var id in modelIds)
            {
                writer.WriteStartObject();
                writer.WriteString("id", id);
                writer.WriteString("object", "model");
                writer.WriteNumber("created", 1_700_000_000);
                writer.WriteString("owned_by", "whisperengine-testing");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

    /// <summary>An OpenAI error body.</summary>
    public static byte[] Error(string message, string type, string? code) =>
        Write(writer =>
        {
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            writer.WriteNull("param");
            if (code is null)
            {
                writer.WriteNull("code");
            }
            else
            {
                writer.WriteString("code", code);
            }

            writer.WriteEndObject();
        });

    private byte[] Chunk(Action<Utf8JsonWriter> writeDelta, string? finishReason) =>
        Write(writer =>
        {
            WriteHeader(writer, "chat.completion.chunk");
            writer.WriteString("service_tier", "default");
            writer.WriteString("system_fingerprint", SystemFingerprint);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("delta");
            writeDelta(writer);
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            if (finishReason is null)
            {
                writer.WriteNull("finish_reason");
            }
            else
            {
                writer.WriteString("finish_reason", finishReason);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            if (_usageNullInChunks)
            {
                writer.WriteNull("usage");
            }
        });

    private void WriteHeader(Utf8JsonWriter writer, string objectType)
    {
        writer.WriteString("id", _id);
        writer.WriteString("object", objectType);
        writer.WriteNumber("created", _created);
        writer.WriteString("model", _model);
    }

    private static void WriteUsage(Utf8JsonWriter writer, int promptTokens, int completionTokens, decimal? cost)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", promptTokens);
        writer.WriteNumber("completion_tokens", completionTokens);
        writer.WriteNumber("total_tokens", promptTokens + completionTokens);
        if (cost is { } dollars)
        {
            // OpenRouter's addition to the OpenAI usage object: what the call cost, in US dollars.
            writer.WriteNumber("cost", dollars);
        }

        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", 0);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", 0);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteNumber("accepted_prediction_tokens", 0);
        writer.WriteNumber("rejected_prediction_tokens", 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> writeBody)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeBody(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
