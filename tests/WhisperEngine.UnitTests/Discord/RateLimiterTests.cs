using WhisperEngine.Discord.Rest;
using WhisperEngine.UnitTests.Fakes;

namespace WhisperEngine.UnitTests.Discord;

public sealed class RateLimiterTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RouteKey MessagesA = RouteKey.Post("/channels/{channel_id}/messages", "1");
    private static readonly RouteKey MessagesB = RouteKey.Post("/channels/{channel_id}/messages", "2");

    [Fact]
    public void BucketFor_DifferentChannels_AreSeparateBuckets()
    {
        using var limiter = new RateLimiter(50, new FakeTimeProvider(Now));

        Assert.NotSame(limiter.BucketFor(MessagesA), limiter.BucketFor(MessagesB));
        Assert.Same(limiter.BucketFor(MessagesA), limiter.BucketFor(MessagesA));
    }

    [Fact]
    public void Update_ExhaustedBucket_WaitsUntilTheReset()
    {
        using var limiter = new RateLimiter(50, new FakeTimeProvider(Now));
        var bucket = limiter.BucketFor(MessagesA);

        limiter.Update(MessagesA, bucket, new RateLimitHeaders("abc", 5, 0, TimeSpan.FromSeconds(1.5), false, null, null));

        Assert.Equal(TimeSpan.FromSeconds(1.5), limiter.WaitTime(bucket));
    }

    [Fact]
    public void Update_RemainingLeft_DoesNotWait()
    {
        using var limiter = new RateLimiter(50, new FakeTimeProvider(Now));
        var bucket = limiter.BucketFor(MessagesA);

        limiter.Update(MessagesA, bucket, new RateLimitHeaders("abc", 5, 4, TimeSpan.FromSeconds(1.5), false, null, null));

        Assert.Equal(TimeSpan.Zero, limiter.WaitTime(bucket));
    }

    [Fact]
    public void Update_SharedBucketHash_RoutesWithTheSameHashShareTheBucket()
    {
        using var limiter = new RateLimiter(50, new FakeTimeProvider(Now));
        var typing = RouteKey.Post("/channels/{channel_id}/typing", "1");
        var messages = limiter.BucketFor(MessagesA);
        var typingBucket = limiter.BucketFor(typing);

        limiter.Update(MessagesA, messages, new RateLimitHeaders("shared", 5, 0, TimeSpan.FromSeconds(2), false, null, null));
        limiter.Update(typing, typingBucket, new RateLimitHeaders("shared", 5, 0, TimeSpan.FromSeconds(2), false, null, null));

        Assert.Same(messages, limiter.BucketFor(MessagesA));
        Assert.Same(messages, limiter.BucketFor(typing));
        Assert.NotSame(messages, limiter.BucketFor(MessagesB));
    }

    [Fact]
    public void Exhaust_RouteRateLimit_WaitsRetryAfter()
    {
        using var limiter = new RateLimiter(50, new FakeTimeProvider(Now));
        var bucket = limiter.BucketFor(MessagesA);

        limiter.Exhaust(bucket, TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), limiter.WaitTime(bucket));
    }

    [Fact]
    public async Task GlobalAcquire_BeyondTheLimitPerSecond_Waits()
    {
        var time = new FakeTimeProvider(Now);
        var global = new GlobalRateLimit(2, time);

        using var cancel = new CancellationTokenSource();
        await global.AcquireAsync(cancel.Token);
        await global.AcquireAsync(cancel.Token);
        var third = global.AcquireAsync(cancel.Token).AsTask();

        // The fixed clock never moves, so the third request keeps waiting for the window to pass.
        await Task.Delay(50);
        Assert.False(third.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
        Assert.Contains(TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(1), time.RequestedDelays);
    }
}
