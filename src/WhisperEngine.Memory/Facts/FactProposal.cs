namespace WhisperEngine.Memory.Facts;

/// <summary>One operation of the model's answer, after validation (<see cref="FactAnswerParser"/>).</summary>
/// <param name="Kind">Add, update or retire.</param>
/// <param name="TargetId">The known fact updated or retired.</param>
/// <param name="Subject">Who an added fact is about.</param>
/// <param name="Key">The normalised key of an added fact.</param>
/// <param name="Value">The value added or updated.</param>
/// <param name="Confidence">0 to 1; null for a retirement that gave none.</param>
/// <param name="Reason">Why, when given.</param>
/// <param name="Evidence">The message ids it rests on (each one of the messages shown).</param>
internal sealed record FactProposal(
    FactOperationKind Kind, long? TargetId, FactSubject Subject, string? Key, string? Value, double? Confidence, string? Reason, IReadOnlyList<long> Evidence);
