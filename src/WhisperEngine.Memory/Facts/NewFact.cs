using WhisperEngine.Core.Conversations;

namespace WhisperEngine.Memory.Facts;

/// <summary>A fact to store.</summary>
/// <param name="Subject">Who it is about.</param>
/// <param name="Key">What it says something about, normalised by <see cref="FactKey.Normalize"/> (<c>lives_in</c>, <c>pet.dog.name</c>).</param>
/// <param name="Value">What is true of it (<c>Lisbon</c>).</param>
/// <param name="Confidence">How sure the source is, 0 to 1; facts the user states themselves are 1.</param>
/// <param name="Source">Where it came from: see <see cref="FactSources"/>.</param>
/// <param name="Privacy">Where it was learnt, which decides where it may be used (the rule of <see cref="Records.RecallScope.Allows"/>).</param>
/// <param name="ChannelId">The channel it was learnt in.</param>
public sealed record NewFact(FactSubject Subject, string Key, string Value, double Confidence, string Source, PrivacyLevel Privacy, string ChannelId);
