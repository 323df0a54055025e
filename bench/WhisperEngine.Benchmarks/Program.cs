using BenchmarkDotNet.Running;
using WhisperEngine.Benchmarks.Memory;

// dotnet run -c Release --project bench/WhisperEngine.Benchmarks -- --filter '*ExactVectorIndex*'
BenchmarkSwitcher.FromAssembly(typeof(ExactVectorIndexBenchmarks).Assembly).Run(args);
return 0;
