using Billing.StripeSamples;

namespace Billing.SendEvent;

/// <summary>
/// Builds a realistic Stripe event (or reads one from a file), signs it the way Stripe does and POSTs it to the
/// gateway's webhook. Exit code: 0 when every event was answered 2xx, 1 on any other answer or no answer, 2 on bad
/// arguments.
/// </summary>
internal static class Program
{
    /// <summary>The help text, also printed (to stderr) after a usage error.</summary>
    public static readonly string Usage = $"""
        usage: dotnet run --project tools/SendEvent -- --type TYPE --customer cus_x [options]
               dotnet run --project tools/SendEvent -- <event.json> [--customer cus_x] [--account acct_x] [--new-id] [options]

        Builds a realistic Stripe event (current API shape) or reads one from a file, signs it with a webhook secret
        and POSTs it with its Stripe-Signature header.
          --type TYPE           build a sample event of TYPE (below); each gets a fresh evt_... id
          --customer cus_x      the customer (required with --type; with a file: rewrites data.object.customer,
                                or data.object.id for customer objects)
          --account acct_x      send it as an event of this connected account (Connect)
          --status STATUS       subscription events: the subscription's status (default: active; trialing for
                                trial_will_end; canceled for deleted)
          --previous-status S   customer.subscription.updated: the status it had before (previous_attributes)
          --price price_x       subscription events: the item's price (default {SampleEvents.DefaultPriceId})
          --features a,b        subscription events: the price's metadata.features; the entitlement summary: the
                                lookup keys of its active entitlements (default {string.Join(',', SampleEvents.DefaultFeatures)})
          --subscription sub_x  subscription and invoice events: the subscription (default sub_ + the customer's
                                id without cus_, so one customer's samples share it)
          --amount CENTS        invoices, charges, disputes: the amount (default {SampleEvents.DefaultAmount}, i.e. USD 20.00)
          --count N             send N events of TYPE, one after the other (e.g. a burst of charge.failed)
          --new-id              files: give the event a fresh evt_... id (a repeated id is answered "duplicate")
          --url URL             webhook URL (default {SendEventOptions.DefaultUrl})
          --secret whsec_...    signing secret (default: $STRIPE_WEBHOOK_SECRET, else run.sh's development secret)

        types: {string.Join(Environment.NewLine + "       ", SampleEvents.Types)}
        (disputes name their charge, not a customer, as Stripe's do)
        """;

    /// <summary>The entry point.</summary>
    public static Task<int> Main(string[] args) =>
        RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, CancellationToken.None);

    /// <summary>Runs the tool: what <see cref="Main"/> does, with its outputs and environment given.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr,
        Func<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var (options, error) = SendEventOptions.Parse(args, environment);
        if (options is null)
        {
            if (error is not null)
            {
                await stderr.WriteLineAsync($"error: {error}");
            }

            await stderr.WriteLineAsync(Usage);
            return error is null ? 0 : 2;
        }

        IReadOnlyList<string> bodies;
        if (options.File is { } file)
        {
            if (!File.Exists(file))
            {
                await stderr.WriteLineAsync($"error: no such file: {file}");
                return 2;
            }

            var (body, rewriteError) = EventBodies.FromFile(options, await File.ReadAllTextAsync(file, cancellationToken));
            if (body is null)
            {
                await stderr.WriteLineAsync($"error: {rewriteError}");
                return 2;
            }

            bodies = [body];
        }
        else
        {
            bodies = EventBodies.Samples(options, DateTimeOffset.UtcNow);
        }

        return await SendAllAsync(options, bodies, stdout, stderr, cancellationToken);
    }

    private static async Task<int> SendAllAsync(SendEventOptions options, IReadOnlyList<string> bodies, TextWriter stdout,
        TextWriter stderr, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var failures = 0;
        foreach (var body in bodies)
        {
            var parsed = EventBodies.TryParse(body);
            await stdout.WriteLineAsync($"POST {options.Url}  {parsed?["type"]} {parsed?["id"]}");
            try
            {
                using var request = WebhookPost.Create(options.Url, body, options.Secret, DateTimeOffset.UtcNow);
                using var response = await http.SendAsync(request, cancellationToken);
                var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                await stdout.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}{(answer.Length > 0 ? $"  {answer}" : "")}");
                failures += response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await stderr.WriteLineAsync($"No answer from {options.Url}: {e.Message} (is ./run.sh running?)");
                return 1;
            }
        }

        if (bodies.Count > 1)
        {
            await stdout.WriteLineAsync($"{bodies.Count - failures} of {bodies.Count} answered 2xx");
        }

        return failures == 0 ? 0 : 1;
    }
}
