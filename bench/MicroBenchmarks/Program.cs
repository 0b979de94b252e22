// BenchmarkDotNet micro-benchmarks of the hot paths. Run all of them with bench/micro.sh, or e.g.
//   dotnet run -c Release --project bench/MicroBenchmarks -- --filter '*Signature*' [--job short]
using BenchmarkDotNet.Running;

// In process: BenchmarkDotNet's default toolchain rebuilds this project by looking for a .csproj named after the
// assembly (Billing.Bench.MicroBenchmarks.csproj), which the repository's naming (MicroBenchmarks.csproj) does not
// match. Added as a command-line option rather than a config job so that --job short etc. keep working.
string[] arguments = args.Contains("--inProcess") ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(Billing.Bench.MicroBenchmarks.BenchPayloads).Assembly).Run(arguments);
