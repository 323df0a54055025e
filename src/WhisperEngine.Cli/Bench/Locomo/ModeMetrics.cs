namespace WhisperEngine.Cli.Bench.Locomo;

/// <summary>Recall, size and latency of one retrieval mode over the benchmark's questions.</summary>
internal sealed class ModeMetrics
{
    private readonly Dictionary<int, (int Questions, int HitsAt10)> _categories = [];

    public int Questions { get; private set; }
    public int AnyAt5 { get; private set; }
    public int AnyAt10 { get; private set; }
    public int AnyAt20 { get; private set; }
    public double AllAt10Sum { get; private set; }
    public int AnyBudget { get; private set; }
    public long TokensAt10Sum { get; private set; }
    public long TokensBudgetSum { get; private set; }
    public long HitsBudgetSum { get; private set; }
    public List<double> SearchMs { get; } = [];

    /// <summary>Scores one question from the turn ids of its ranking (best first, at least 20 deep) and of its budget-cut retrieval.</summary>
    public void Add(int category, IReadOnlySet<string> evidence, IReadOnlyList<string> ranked, IReadOnlyList<int> rankedTokens,
        IReadOnlyList<string> budgeted, int budgetTokens, double searchMs)
    {
        Questions++;
        var at10 = ranked.Take(10).ToList();
        var hit10 = at10.Any(evidence.Contains);
        AnyAt5 += ranked.Take(5).Any(evidence.Contains) ? 1 : 0;
        AnyAt10 += hit10 ? 1 : 0;
        AnyAt20 += ranked.Take(20).Any(evidence.Contains) ? 1 : 0;
        AllAt10Sum += (double)evidence.Count(at10.Contains) / evidence.Count;
        AnyBudget += budgeted.Any(evidence.Contains) ? 1 : 0;
        TokensAt10Sum += rankedTokens.Take(10).Sum();
        TokensBudgetSum += budgetTokens;
        HitsBudgetSum += budgeted.Count;
        SearchMs.Add(searchMs);
        var c = _categories.GetValueOrDefault(category);
        _categories[category] = (c.Questions + 1, c.HitsAt10 + (hit10 ? 1 : 0));
    }

    public IReadOnlyDictionary<int, (int Questions, double RecallAt10)> Categories =>
        _categories.OrderBy(c => c.Key).ToDictionary(c => c.Key, c => (c.Value.Questions, Share(c.Value.HitsAt10, c.Value.Questions)));

    public double RecallAnyAt5 => Share(AnyAt5, Questions);
    public double RecallAnyAt10 => Share(AnyAt10, Questions);
    public double RecallAnyAt20 => Share(AnyAt20, Questions);
    public double RecallAllAt10 => Questions == 0 ? 0 : AllAt10Sum / Questions;
    public double RecallAnyBudget => Share(AnyBudget, Questions);
    public double TokensAt10 => Questions == 0 ? 0 : (double)TokensAt10Sum / Questions;
    public double TokensBudget => Questions == 0 ? 0 : (double)TokensBudgetSum / Questions;
    public double HitsBudget => Questions == 0 ? 0 : (double)HitsBudgetSum / Questions;
    public double SearchP50Ms => Percentile.Of(SearchMs, 50);
    public double SearchP95Ms => Percentile.Of(SearchMs, 95);

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
