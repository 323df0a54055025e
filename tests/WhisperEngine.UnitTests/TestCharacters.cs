using WhisperEngine.Core.Characters;

namespace WhisperEngine.UnitTests;

/// <summary>Characters for tests.</summary>
public static class TestCharacters
{
    /// <summary>A sentence of Ada's persona long enough to count as a leak when quoted.</summary>
    public const string AdaPersonaSentence = "You are Ada Lovelace, a Victorian mathematician who writes about the Analytical Engine with warmth and precision.";

    public static Character Ada(GenerationSettings? generation = null, IReadOnlyList<string>? preferredModels = null) => new()
    {
        Id = "ada",
        Name = "Ada",
        Persona = AdaPersonaSentence + " Keep every answer short and never use modern slang.",
        Style = new SpeakingStyle { Tone = "warm", Traits = ["curious"], Guidelines = ["Answer in at most three sentences."] },
        Generation = generation ?? new GenerationSettings(),
        PreferredModels = preferredModels ?? [],
    };

    public static Character Named(string id, params string[] preferredModels) => new()
    {
        Id = id,
        Name = id,
        Persona = "A test character.",
        PreferredModels = preferredModels,
    };
}
