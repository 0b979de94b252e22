using System.Globalization;

namespace Billing.RecoveryTool;

/// <summary>
/// The recovery tool's entry point: reads the command line and runs the command against the gateway's admin API.
/// </summary>
internal static class Program
{
    /// <summary>Where the gateway listens when neither <c>--url</c> nor <c>BILLING_ADMIN_URL</c> says (run.sh's gateway).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5082";

    /// <summary>The help text, also printed (to stderr) after a usage error.</summary>
    public const string Usage = """
        usage: dotnet run --project tools/Recovery -- <command> [--url URL] [--key KEY] [--no-wait]

        Starts and follows recovery from Stripe's API through the gateway's admin routes, and reads the drift report.

        commands:
          import                 import the Stripe account's current state (for a new deployment)
          backfill --since TIME  apply the Events API's events since TIME: RFC 3339 (2026-01-02T10:00:00Z)
                                 or relative to now (90m, 2h, 3d); at most 30 days back
          reconcile              compare every customer with Stripe and repair the drift
          jobs                   list the recovery jobs of the last 7 days
          drift                  show the latest reconciliation and the drifts of the last 7 days

        options:
          --url URL   the gateway's admin endpoint (default: $BILLING_ADMIN_URL, else http://127.0.0.1:5082)
          --key KEY   admin key, sent as Authorization: Bearer (default: $BILLING_ADMIN_KEY; prefer the
                      variable, as arguments show in the process list)
          --no-wait   import, backfill, reconcile: print the job and return without following it
          -h, --help  show this help

        import, backfill and reconcile follow their job (or the one of that kind already running) until it
        ends: a progress line on stderr, then a summary on stdout. Ctrl-C stops the following, not the job.

        exit codes: 0 the job ended done (jobs, drift: answered), 1 the job failed or the gateway answered
        an error, 2 bad arguments, 130 interrupted by Ctrl-C
        """;

    private static readonly string[] JobCommands = ["import", "backfill", "reconcile"];
    private static readonly string[] ListCommands = ["jobs", "drift"];

    /// <summary>Runs the tool on the process's console; the first Ctrl-C stops following, a second one ends the process.</summary>
    public static async Task<int> Main(string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Keep the process alive the first time so it can say the job goes on; a second press is an insistence.
            e.Cancel = !interrupt.IsCancellationRequested;
            interrupt.Cancel();
        };
        return await RunAsync(args, ToolContext.FromProcess(), interrupt.Token);
    }

    /// <summary>Parses <paramref name="args"/> and runs the command.</summary>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    internal static async Task<int> RunAsync(IReadOnlyList<string> args, ToolContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parsed = Parse(args, context.Environment, context.Time.GetUtcNow());
        if (parsed.Error is { } error)
        {
            context.Error.WriteLine($"error: {error}");
            context.Error.WriteLine();
            context.Error.WriteLine(Usage);
            return ExitCodes.Usage;
        }
        if (parsed.Options is not { } options)
        {
            context.Out.WriteLine(Usage);
            return ExitCodes.Success;
        }

        using var client = new AdminClient(options.Url, options.Key);
        try
        {
            switch (options.Command)
            {
                case "jobs":
                    WriteLines(context.Out, Reports.Jobs(await client.ListJobsAsync(cancellationToken)));
                    return ExitCodes.Success;
                case "drift":
                    WriteLines(context.Out, Reports.Drift(await client.GetDriftAsync(cancellationToken)));
                    return ExitCodes.Success;
                default:
                    return await new JobFollower(client, context).StartAsync(options.Command, options.Since, options.Wait, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (client.Describe(e) is { } problem)
        {
            context.Error.WriteLine($"error: {problem}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// The command line, with <c>BILLING_ADMIN_URL</c> and <c>BILLING_ADMIN_KEY</c> from <paramref name="environment"/>
    /// where the options do not say, and a relative <c>--since</c> counted back from <paramref name="now"/>.
    /// </summary>
    internal static ParsedArguments Parse(IReadOnlyList<string> args, Func<string, string?> environment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        string? command = null, url = null, key = null, since = null;
        var wait = true;
        for (var i = 0; i < args.Count; i++)
        {
            // Both --url URL and --url=URL.
            var (name, inline) = args[i].StartsWith("--", StringComparison.Ordinal) && args[i].IndexOf('=', StringComparison.Ordinal) is > 2 and var equals
                ? (args[i][..equals], args[i][(equals + 1)..])
                : (args[i], null);
            switch (name)
            {
                case "-h" or "--help":
                    return ParsedArguments.Help;
                case "--no-wait" when inline is null:
                    wait = false;
                    break;
                case "--url" or "--key" or "--since":
                    var value = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
                    if (value is null)
                    {
                        return ParsedArguments.Fail($"{name} needs a value");
                    }
                    if (name == "--url")
                    {
                        url = value;
                    }
                    else if (name == "--key")
                    {
                        key = value;
                    }
                    else
                    {
                        since = value;
                    }
                    break;
                case var unknown when unknown.StartsWith('-'):
                    return ParsedArguments.Fail($"unknown option: {args[i]}");
                case var word when command is null:
                    command = word;
                    break;
                default:
                    return ParsedArguments.Fail($"unexpected argument: {args[i]}");
            }
        }

        if (command is null)
        {
            return ParsedArguments.Fail("no command given");
        }
        if (!JobCommands.Contains(command) && !ListCommands.Contains(command))
        {
            return ParsedArguments.Fail($"unknown command: {command}");
        }
        if (!wait && !JobCommands.Contains(command))
        {
            return ParsedArguments.Fail($"--no-wait is for import, backfill and reconcile, not {command}");
        }

        DateTimeOffset? from = null;
        if (command == "backfill")
        {
            if (since is null)
            {
                return ParsedArguments.Fail("backfill needs --since TIME (RFC 3339, or relative: 90m, 2h, 3d)");
            }
            from = ParseSince(since, now);
            if (from is null)
            {
                return ParsedArguments.Fail($"--since {since}: expected an RFC 3339 time with its offset (2026-01-02T10:00:00Z) or a time back from now (90m, 2h, 3d)");
            }
        }
        else if (since is not null)
        {
            return ParsedArguments.Fail($"--since is for backfill, not {command}");
        }

        url ??= environment("BILLING_ADMIN_URL") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var gateway) || (gateway.Scheme != Uri.UriSchemeHttp && gateway.Scheme != Uri.UriSchemeHttps))
        {
            return ParsedArguments.Fail($"the gateway's URL must be an absolute http(s) URL: {url}");
        }

        key = (key ?? environment("BILLING_ADMIN_KEY"))?.Trim();
        // A header value cannot carry these; say so now rather than fail inside HttpClient.
        if (key is not null && key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return ParsedArguments.Fail("the key must be one token, without spaces or control characters");
        }

        return new ParsedArguments(new Options(command, gateway, key is { Length: > 0 } ? key : null, wait, from), null);
    }

    /// <summary>
    /// <paramref name="text"/> as a time: RFC 3339 with its offset (<c>2026-01-02T10:00:00Z</c>,
    /// <c>2026-01-02T11:00:00.5+01:00</c>, a space for the <c>T</c>), or a whole number of seconds, minutes, hours or
    /// days back from <paramref name="now"/> (<c>90s</c>, <c>90m</c>, <c>2h</c>, <c>3d</c>). Null when it is neither.
    /// </summary>
    internal static DateTimeOffset? ParseSince(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        // Five digits of days is far past the 30 the gateway accepts, and well inside what TimeSpan holds.
        if (text.Length is >= 2 and <= 6
            && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            && amount > 0)
        {
            TimeSpan? back = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            return back is { } span ? now - span : null;
        }

        // Without an offset a time is ambiguous (whose 10:00?), so RFC 3339 requires one and so does this.
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];
        var normalized = text.ToUpperInvariant().Replace(' ', 'T');
        return DateTimeOffset.TryParseExact(normalized, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
    }

    private static void WriteLines(TextWriter writer, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            writer.WriteLine(line);
        }
    }
}

/// <summary>A parsed command line.</summary>
/// <param name="Command">import, backfill, reconcile, jobs or drift.</param>
/// <param name="Url">The gateway's HTTP endpoint.</param>
/// <param name="Key">The admin key, or null to send none.</param>
/// <param name="Wait">Whether to follow a started job (false with <c>--no-wait</c>).</param>
/// <param name="Since">A backfill's start.</param>
internal sealed record Options(string Command, Uri Url, string? Key, bool Wait, DateTimeOffset? Since);

/// <summary>What <see cref="Program.Parse"/> made of the command line: options, an error, or (neither) a request for help.</summary>
/// <param name="Options">What to run.</param>
/// <param name="Error">Why the command line is wrong.</param>
internal sealed record ParsedArguments(Options? Options, string? Error)
{
    /// <summary><c>--help</c>.</summary>
    public static ParsedArguments Help { get; } = new(null, null);

    /// <summary>A usage error.</summary>
    public static ParsedArguments Fail(string error) => new(null, error);
}
