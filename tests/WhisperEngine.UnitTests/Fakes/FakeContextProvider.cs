using System.Collections.Concurrent;
using WhisperEngine.Core.Recall;

namespace WhisperEngine.UnitTests.Fakes;

/// <summary>A context provider that answers with fixed sections, fails, or hangs until cancelled; records its requests.</summary>
public sealed class FakeContextProvider(Func<TurnContextRequest, CancellationToken, Task<IReadOnlyList<ContextSection>>> answer) : ITurnContextProvider
{
    private readonly ConcurrentQueue<TurnContextRequest> _requests = new();

    public IReadOnlyList<TurnContextRequest> Requests => _requests.ToArray();

    public static FakeContextProvider Returning(params ContextSection[] sections) => new((_, _) => Task.FromResult<IReadOnlyList<ContextSection>>(sections));

    public static FakeContextProvider Throwing() => new((_, _) => throw new InvalidOperationException("the memory store is broken"));

    public static FakeContextProvider Hanging() => new(async (_, ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        return [];
    });

    public async ValueTask<IReadOnlyList<ContextSection>> GetSectionsAsync(TurnContextRequest request, CancellationToken cancellationToken = default)
    {
        _requests.Enqueue(request);
        return await answer(request, cancellationToken);
    }
}
