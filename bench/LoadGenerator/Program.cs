// The benchmark's driver. `run` drives the targets it is given and prints the results table; `catalog-env` prints
// the plan catalog as environment variables for the silo, so generator and product agree on it; `journal-check`
// records what the silo's verify-journal said after the run. See bench/README.md.
using Billing.Bench.LoadGenerator;
using Billing.Bench.LoadGenerator.JournalCheck;

return args switch
{
    ["catalog-env", ..] => BenchCatalog.PrintEnvironment(),
    ["journal-check", .. var rest] => await JournalCheckCommand.RunAsync(rest),
    ["run", "-h" or "--help"] or ["-h" or "--help"] => BenchOptions.Usage(null),
    ["run", .. var rest] => await BenchRunner.RunAsync(rest),
    _ => BenchOptions.Usage(args is [] ? "no command" : $"unknown command: {args[0]}"),
};
