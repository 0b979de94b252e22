// The benchmark's driver. `run` drives the targets it is given and prints the results table; `catalog-env` prints
// the plan catalog as environment variables for the silo, so generator and product agree on it. See bench/README.md.
using Billing.Bench.LoadGenerator;

return args switch
{
    ["catalog-env", ..] => BenchCatalog.PrintEnvironment(),
    ["run", "-h" or "--help"] or ["-h" or "--help"] => BenchOptions.Usage(null),
    ["run", .. var rest] => await BenchRunner.RunAsync(rest),
    _ => BenchOptions.Usage(args is [] ? "no command" : $"unknown command: {args[0]}"),
};
