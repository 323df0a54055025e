using System.Globalization;
using Microsoft.Extensions.Logging;
using WhisperEngine.Core.Bots;
using WhisperEngine.Core.Coordination;
using WhisperEngine.Core.Turns;
using WhisperEngine.Core.Usage;

namespace WhisperEngine.Core.Budgets;

/// <summary>
/// Keeps spending under the configured limits, also under concurrent load and across processes: before a call,
/// its worst-case cost (prompt plus the full output allowance) is added to the bot's and tenant's counters of the
/// day and month; if any counter would pass its limit the addition is taken back and the call refused. Near a
/// limit the call is moved to the cheaper model. After the call the reservation is corrected to the real cost.
/// </summary>
/// <remarks>Thread-safe. Counters live in an <see cref="ICounterStore"/>: in process, or Redis across processes.</remarks>
public sealed partial class BudgetGuard(BudgetOptions options, ICounterStore counters, Func<string, ModelPrice?> prices, TimeProvider time, ILogger<BudgetGuard> logger)
{
    private const decimal Micro = 1_000_000m;

    /// <summary>Reserves the call's worst-case cost; throws <see cref="TurnException"/> (<see cref="TurnErrorKind.BudgetExhausted"/>) at a limit.</summary>
    /// <remarks>With fallbacks, pass the most expensive model of the chain so the reservation covers whichever answers.</remarks>
    public async ValueTask<BudgetReservation> ReserveAsync(BotDefinition bot, string model, int promptTokens, int maxOutputTokens,
        CancellationToken cancellationToken = default)
    {
        if (!options.Any)
        {
            return BudgetReservation.None(model);
        }

        var limits = Limits(bot);
        var reservation = await TryReserveAsync(limits, model, promptTokens, maxOutputTokens, cancellationToken);
        if (reservation is { Used: var used } && used >= options.DowngradeAt && options.DowngradeModel is { } cheap && cheap != model)
        {
            await ReleaseAsync(reservation.Value.Reservation, cancellationToken);
            var downgraded = await TryReserveAsync(limits, cheap, promptTokens, maxOutputTokens, cancellationToken);
            if (downgraded is { } d)
            {
                var reason = $"budget {used:P0} used: downgraded from {model} to {cheap}";
                Log.Downgraded(logger, bot.Id, model, cheap, used);
                return d.Reservation with { Reason = reason };
            }

            reservation = null;
        }

        if (reservation is { } r)
        {
            return r.Reservation;
        }

        Log.Refused(logger, bot.Id, model);
        throw new TurnException(TurnErrorKind.BudgetExhausted,
            $"The spending limit of bot '{bot.Id}' is reached for now; it resets at the start of the next day or month.");
    }

    /// <summary>Corrects a reservation to the real cost of the call (0 when nothing was spent).</summary>
    public async ValueTask SettleAsync(BudgetReservation reservation, string model, int promptTokens, int completionTokens, CancellationToken cancellationToken = default)
    {
        if (reservation.Keys.Count == 0)
        {
            return;
        }

        // The provider may report a dated model id the price table does not know: price it as the model called.
        var actual = Cost(prices(model) is null ? reservation.Model : model, promptTokens, completionTokens);
        var delta = actual - reservation.Microdollars;
        if (delta != 0)
        {
            foreach (var key in reservation.Keys)
            {
                await counters.AddAsync(key, delta, WindowOf(key), CancellationToken.None);
            }
        }
    }

    private async Task<(BudgetReservation Reservation, double Used)?> TryReserveAsync(
        List<(string Key, decimal LimitUsd)> limits, string model, int promptTokens, int maxOutputTokens, CancellationToken cancellationToken)
    {
        // Providers count prompt tokens with their own tokenizer; a margin keeps the reservation above the real cost.
        var amount = Cost(model, (int)Math.Ceiling(promptTokens * 1.25) + 16, maxOutputTokens);
        var taken = new List<string>();
        var used = 0.0;
        foreach (var (key, limit) in limits)
        {
            var total = await counters.AddAsync(key, amount, WindowOf(key), cancellationToken);
            taken.Add(key);
            var limitMicro = (long)(limit * Micro);
            if (total > limitMicro)
            {
                await ReleaseAsync(new BudgetReservation(model, "", taken, amount), cancellationToken);
                return null;
            }

            used = Math.Max(used, limitMicro == 0 ? 1 : (double)total / limitMicro);
        }

        return (new BudgetReservation(model, "", taken, amount), used);
    }

    private async Task ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken)
    {
        foreach (var key in reservation.Keys)
        {
            await counters.AddAsync(key, -reservation.Microdollars, WindowOf(key), CancellationToken.None);
        }
    }

    /// <summary>The model of <paramref name="models"/> whose call would cost the most (for reservations covering fallbacks).</summary>
    public string MostExpensive(IReadOnlyList<string> models, int promptTokens, int maxOutputTokens) =>
        models.MaxBy(m => Cost(m, promptTokens, maxOutputTokens)) ?? models[0];

    private long Cost(string model, int promptTokens, int completionTokens)
    {
        if (prices(model) is not { } price)
        {
            Log.Unpriced(logger, model);
            return 0;
        }

        return (long)Math.Ceiling(price.Cost(promptTokens, completionTokens) * Micro);
    }

    private List<(string Key, decimal LimitUsd)> Limits(BotDefinition bot)
    {
        var now = time.GetUtcNow();
        var day = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var month = now.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var limits = new List<(string, decimal)>();
        if (options.BotDailyUsd is { } bd)
        {
            limits.Add(($"budget:bot:{bot.TenantId}:{bot.Id}:day:{day}", bd));
        }

        if (options.BotMonthlyUsd is { } bm)
        {
            limits.Add(($"budget:bot:{bot.TenantId}:{bot.Id}:month:{month}", bm));
        }

        if (options.TenantDailyUsd is { } td)
        {
            limits.Add(($"budget:tenant:{bot.TenantId}:day:{day}", td));
        }

        if (options.TenantMonthlyUsd is { } tm)
        {
            limits.Add(($"budget:tenant:{bot.TenantId}:month:{month}", tm));
        }

        return limits;
    }

    // A period's counter outlives its period a little, so late settlements still find it.
    private static TimeSpan WindowOf(string key) => key.Contains(":month:", StringComparison.Ordinal) ? TimeSpan.FromDays(32) : TimeSpan.FromDays(2);

    private static partial class Log
    {
        [LoggerMessage(1101, LogLevel.Information, "Bot {BotId}: budget {Used:P0} used, call moved from {Model} to {Cheap}")]
        public static partial void Downgraded(ILogger logger, string botId, string model, string cheap, double used);

        [LoggerMessage(1102, LogLevel.Warning, "Bot {BotId}: spending limit reached; call to {Model} refused")]
        public static partial void Refused(ILogger logger, string botId, string model);

        [LoggerMessage(1103, LogLevel.Debug, "No price for model {Model}: its calls cannot count against budgets")]
        public static partial void Unpriced(ILogger logger, string model);
    }
}
