using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WhisperEngine.Memory.Consolidation;
using WhisperEngine.Memory.Facts;
using WhisperEngine.Memory.Jobs;

namespace WhisperEngine.Memory;

/// <summary>DI registration of facts and consolidation.</summary>
public static class MemoryJobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers fact extraction, the facts prompt section, consolidation and the <see cref="MemoryJobs"/> adapter.
    /// Needs what <see cref="MemoryServiceCollectionExtensions.AddWhisperEngineMemory"/> needs, plus an
    /// <see cref="IFactStore"/> and an <see cref="IConsolidationStore"/> (a backend's <c>AddXyzMemoryStore</c>), the
    /// engine's <c>IChatClient</c> and an <c>IConversationStore</c>.
    /// </summary>
    public static IServiceCollection AddMemoryJobs(this IServiceCollection services, FactOptions? facts = null, ConsolidationOptions? consolidation = null)
    {
        facts ??= new FactOptions();
        consolidation ??= new ConsolidationOptions();
        facts.Validate();
        consolidation.Validate();
        services.TryAddSingleton(facts);
        services.TryAddSingleton(consolidation);
        services.TryAddSingleton<FactExtractor>();
        services.TryAddSingleton<FactExtractionJob>();
        services.TryAddSingleton<FactExtractionTrigger>();
        services.TryAddSingleton<FactPromptBuilder>();
        services.TryAddSingleton<MemoryConsolidator>();
        services.TryAddSingleton<MemoryJobs>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
