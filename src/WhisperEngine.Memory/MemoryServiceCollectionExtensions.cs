using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Background;
using WhisperEngine.Core.Context;
using WhisperEngine.Core.Dispatch;
using WhisperEngine.Core.Recall;
using WhisperEngine.Core.Storage;
using WhisperEngine.Memory.Emotion;
using WhisperEngine.Memory.Indexing;
using WhisperEngine.Memory.Keywords;
using WhisperEngine.Memory.Pipeline;
using WhisperEngine.Memory.Relationships;
using WhisperEngine.Memory.Storage;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Writing;

namespace WhisperEngine.Memory;

/// <summary>DI registration of long-term memory.</summary>
public static class MemoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the memory writer, the hybrid retriever, the vector indexes and the keyword indexes. Needs an
    /// <see cref="Storage.IMemoryStore"/> and its <see cref="Storage.IMemoryCatalog"/> (a backend's <c>AddXyzMemoryStore</c>), an <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>, an
    /// <see cref="Core.Context.ITokenCounter"/> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddWhisperEngineMemory(this IServiceCollection services, MemoryOptions? options = null)
    {
        options ??= new MemoryOptions();
        options.Validate();
        services.TryAddSingleton(options);
        services.TryAddSingleton<IVectorIndexFactory, ExactVectorIndexFactory>();
        services.TryAddSingleton<VectorIndexRegistry>();
        services.TryAddSingleton<KeywordIndexRegistry>();
        services.TryAddSingleton<MemoryWriter>();
        services.TryAddSingleton<HybridRetriever>();
        services.TryAddSingleton<IMemoryRetriever>(sp => sp.GetRequiredService<HybridRetriever>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Puts long-term memory into the turn pipeline: <see cref="MemoryContextProvider"/> (recall, relationship,
    /// emotion in the prompt) as an <see cref="ITurnContextProvider"/> and <see cref="MemoryTurnObserver"/> (memory
    /// writes and access recording as background jobs) as an <see cref="ITurnObserver"/>. Needs what
    /// <see cref="AddWhisperEngineMemory"/> needs plus an <see cref="IBackgroundJobQueue"/>, the <see cref="ITurnDispatcher"/> and the
    /// <see cref="IConversationStore"/> (writes run under the conversation's lease while its message exists); uses an
    /// <see cref="IRelationshipStore"/> when one is registered.
    /// </summary>
    public static IServiceCollection AddTurnMemory(this IServiceCollection services, TurnMemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton<EmotionClassifier>();
        services.TryAddSingleton<RecallVectors>();
        services.TryAddSingleton(sp => new MemoryContextProvider(sp.GetRequiredService<IMemoryRetriever>(), sp.GetRequiredService<EmotionClassifier>(),
            sp.GetRequiredService<ITokenCounter>(), options, sp.GetService<IRelationshipStore>(), sp.GetRequiredService<ILogger<MemoryContextProvider>>(),
            sp.GetRequiredService<RecallVectors>()));
        services.TryAddSingleton(sp => new MemoryTurnObserver(sp.GetRequiredService<IBackgroundJobQueue>(), sp.GetRequiredService<ITurnDispatcher>(),
            sp.GetRequiredService<IConversationStore>(), sp.GetRequiredService<MemoryWriter>(),
            sp.GetRequiredService<IMemoryStore>(), sp.GetRequiredService<EmotionClassifier>(), options, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MemoryTurnObserver>>(), sp.GetService<IRelationshipStore>(), sp.GetRequiredService<RecallVectors>()));
        services.AddSingleton<ITurnContextProvider>(sp => sp.GetRequiredService<MemoryContextProvider>());
        services.AddSingleton<ITurnObserver>(sp => sp.GetRequiredService<MemoryTurnObserver>());
        return services;
    }
}
