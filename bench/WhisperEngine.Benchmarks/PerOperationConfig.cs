using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Perfolizer.Mathematics.OutlierDetection;

namespace WhisperEngine.Benchmarks;

/// <summary>
/// One operation (one turn, one HTTP request) per BenchmarkDotNet iteration, so that Median and P95 are
/// percentiles of single operations rather than of iteration averages; outliers are kept, because they are the
/// tail being measured. In process: the benchmarks are milliseconds of I/O, and the in-process toolchain avoids
/// BenchmarkDotNet's generated project (a rebuild of the whole solution per run on a 2-core machine).
/// </summary>
internal sealed class PerOperationConfig : ManualConfig
{
    public const int WarmupCount = 20;
    public const int IterationCount = 200;

    public PerOperationConfig()
    {
        AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(10), logOutput: true))
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithWarmupCount(WarmupCount)
            .WithIterationCount(IterationCount)
            .WithOutlierMode(OutlierMode.DontRemove)
            .WithId("PerOp"));
        AddColumn(StatisticColumn.P95, StatisticColumn.Min, StatisticColumn.Max);
        AddDiagnoser(MemoryDiagnoser.Default);
        WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Millisecond));
        WithOptions(ConfigOptions.DisableLogFile);
    }
}
