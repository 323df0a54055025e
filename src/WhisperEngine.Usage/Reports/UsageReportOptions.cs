namespace WhisperEngine.Usage.Reports;

/// <summary>Choices a report is computed with.</summary>
public sealed record UsageReportOptions
{
    /// <summary>Users the data stands for; null: the distinct users named in the data, or 1 when it names none.</summary>
    public int? ActiveUsers { get; init; }

    /// <summary>User counts to project the yearly cost for.</summary>
    public IReadOnlyList<int> ProjectedUsers { get; init; } = [1, 10, 100, 1000];

    /// <summary>Calls from this time on (inclusive); null: from the first.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Calls before this time (exclusive); null: to the last.</summary>
    public DateTimeOffset? Until { get; init; }
}
