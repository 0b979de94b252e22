// The tests' Stripe stub as a process: seeds subscriptions (and optionally Connect accounts and entitlements),
// prints "listening on http://127.0.0.1:PORT" once ready, and answers until SIGTERM or Ctrl-C.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Billing.Bench.StripeStub;
using Billing.Testing.Stripe;

StubOptions options;
try
{
    options = StubOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 2;
}

var watch = Stopwatch.StartNew();
await using var stub = await StripeApiStub.StartAsync(options.Port);
stub.Faults.MaxRequestsPerSecond = options.MaxRequestsPerSecond;
var now = DateTimeOffset.UtcNow;
var seeder = new Seeder(seed: 1);
seeder.Seed(stub.Account(), options.Subscriptions, options.Features, now);
foreach (var account in options.ConnectedAccounts)
{
    seeder.Seed(stub.Account(account), options.SubscriptionsPerAccount, options.Features, now);
}

await Console.Error.WriteLineAsync(
    $"seeded {options.Subscriptions} subscriptions and {options.ConnectedAccounts.Count} connected accounts in {watch.Elapsed.TotalSeconds:F1} s");
var stopped = new TaskCompletionSource();
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
Console.WriteLine($"listening on {stub.BaseAddress.ToString().TrimEnd('/')}");
await stopped.Task;
return 0;

void Stop(PosixSignalContext context)
{
    // The process ends when the stub is disposed, not when the runtime's default handler would kill it.
    context.Cancel = true;
    stopped.TrySetResult();
}
