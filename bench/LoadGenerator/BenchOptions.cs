using System.Globalization;
using System.Text.Json.Serialization;

namespace Billing.Bench.LoadGenerator;

/// <summary>The options of <c>run</c>, from the command line. Targets that are not given are skipped.</summary>
internal sealed class BenchOptions
{
    /// <summary>The product gateway's webhook endpoint, e.g. <c>http://127.0.0.1:6080</c>.</summary>
    public Uri? ProductUrl { get; private set; }

    /// <summary>The product gateway's gRPC endpoint, e.g. <c>http://127.0.0.1:6081</c>.</summary>
    public Uri? ProductGrpcUrl { get; private set; }

    /// <summary>The naive baseline's endpoint.</summary>
    public Uri? BaselineUrl { get; private set; }

    /// <summary>The bare gRPC server's endpoint.</summary>
    public Uri? BareGrpcUrl { get; private set; }

    /// <summary>The gateway of the product whose silo keeps the journal in memory: its webhook endpoint.</summary>
    public Uri? ProductMemoryUrl { get; private set; }

    /// <summary>That gateway's gRPC endpoint (its consistency check).</summary>
    public Uri? ProductMemoryGrpcUrl { get; private set; }

    /// <summary>The product's database (Npgsql connection string), for its PostgreSQL transactions per event.</summary>
    [JsonIgnore]
    public string? ProductDb { get; private set; }

    /// <summary>The baseline's database.</summary>
    [JsonIgnore]
    public string? BaselineDb { get; private set; }

    /// <summary>The database of the product with an in-memory journal (clustering and reminders only).</summary>
    [JsonIgnore]
    public string? ProductMemoryDb { get; private set; }

    /// <summary>The webhook signing secret every target was started with (kept out of the results file).</summary>
    [JsonIgnore]
    public string Secret { get; private set; } = "whsec_bench_secret";

    /// <summary>How many customers the events are spread over.</summary>
    public int Customers { get; private set; } = 10_000;

    /// <summary>Customer ids are <c>{prefix}{index}</c>; the bare server builds the same ids.</summary>
    public string CustomerPrefix { get; private set; } = "cus_bench_";

    /// <summary>Keeps event ids of two runs apart, should they share a database.</summary>
    public string RunTag { get; private set; } = Convert.ToHexStringLower(BitConverter.GetBytes(DateTime.UtcNow.Ticks))[..10];

    /// <summary>The measured load phase of each webhook target.</summary>
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(30);

    /// <summary>Load before the measured phase (not measured).</summary>
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The webhook loads of each target, by concurrent HTTP connections (one request in flight on each). The last is
    /// the main level: the headline table, the ratios, the CPU and PostgreSQL tables; the others are measured for
    /// <see cref="LevelDuration"/> after <see cref="LevelWarmup"/>.
    /// </summary>
    public IReadOnlyList<int> ConnectionLevels { get; private set; } = [1, 8, 64];

    /// <summary>The main level's connections.</summary>
    public int Connections => ConnectionLevels[^1];

    /// <summary>The measured phase of each level but the main one.</summary>
    public TimeSpan LevelDuration { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>Load before the measured phase of each level but the main one.</summary>
    public TimeSpan LevelWarmup { get; private set; } = TimeSpan.FromSeconds(2);

    /// <summary>The share of deliveries that repeat an event already delivered.</summary>
    public double Duplicates { get; private set; } = 0.05;

    /// <summary>The share of events delivered after a newer event of the same customer.</summary>
    public double OutOfOrder { get; private set; } = 0.1;

    /// <summary>The Zipf exponent of the customer distribution (0: uniform; 1: classic Zipf).</summary>
    public double Zipf { get; private set; } = 1.0;

    /// <summary>Stops the measured phase after this many deliveries (0: no limit; the smoke run uses it).</summary>
    public long MaxEvents { get; private set; }

    /// <summary>Seeds the event stream: every target gets the same stream.</summary>
    public int Seed { get; private set; } = 42;

    /// <summary>Customers checked through <c>GetEntitlements</c> after the load.</summary>
    public int Sample { get; private set; } = 200;

    /// <summary>The measured phase of each entitlement-read configuration.</summary>
    public TimeSpan ReadDuration { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reads before the measured phase (also activates the customers).</summary>
    public TimeSpan ReadWarmup { get; private set; } = TimeSpan.FromSeconds(2);

    /// <summary>Concurrent gRPC callers, one configuration each.</summary>
    public IReadOnlyList<int> ReadCallers { get; private set; } = [64, 256];

    /// <summary>Events sent to the one customer whose history is read (0: no history phase).</summary>
    public int HistoryEvents { get; private set; } = 10_000;

    /// <summary>The measured phase of each kind of history read.</summary>
    public TimeSpan HistoryDuration { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>Concurrent gRPC callers of the history reads.</summary>
    public int HistoryCallers { get; private set; } = 8;

    /// <summary>Distinct customers read once each and then left idle in the near-cache (0: no cache-upkeep phase).</summary>
    public int IdleCustomers { get; private set; } = 200_000;

    /// <summary>How long the idle near-cache's upkeep is measured.</summary>
    public TimeSpan IdleDuration { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>Process ids to account CPU and memory to, by role (gateway, silo, baseline, bare, postgres).</summary>
    public Dictionary<string, int> Pids { get; } = new(StringComparer.Ordinal);

    /// <summary>Where the JSON results go (none: not written).</summary>
    public string? Output { get; private set; }

    /// <summary>A name for this run in the results (full, smoke, …).</summary>
    public string Label { get; private set; } = "full";

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> on a bad one.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        int? mainConnections = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value");
            }

            var value = args[++i];
            switch (name)
            {
                case "--product": options.ProductUrl = ParseUri(name, value); break;
                case "--product-grpc": options.ProductGrpcUrl = ParseUri(name, value); break;
                case "--baseline": options.BaselineUrl = ParseUri(name, value); break;
                case "--bare-grpc": options.BareGrpcUrl = ParseUri(name, value); break;
                case "--product-memory": options.ProductMemoryUrl = ParseUri(name, value); break;
                case "--product-memory-grpc": options.ProductMemoryGrpcUrl = ParseUri(name, value); break;
                case "--product-db": options.ProductDb = value; break;
                case "--baseline-db": options.BaselineDb = value; break;
                case "--product-memory-db": options.ProductMemoryDb = value; break;
                case "--secret": options.Secret = value; break;
                case "--customers": options.Customers = ParseInt(name, value, 1); break;
                case "--customer-prefix": options.CustomerPrefix = value; break;
                case "--run-tag": options.RunTag = value; break;
                case "--duration": options.Duration = ParseSeconds(name, value); break;
                case "--warmup": options.Warmup = ParseSeconds(name, value); break;
                case "--connections": mainConnections = ParseInt(name, value, 1); break;
                case "--connection-levels": options.ConnectionLevels = ParseList(name, value); break;
                case "--level-duration": options.LevelDuration = ParseSeconds(name, value); break;
                case "--level-warmup": options.LevelWarmup = ParseSeconds(name, value); break;
                case "--duplicates": options.Duplicates = ParseShare(name, value); break;
                case "--out-of-order": options.OutOfOrder = ParseShare(name, value); break;
                case "--zipf": options.Zipf = ParseDouble(name, value); break;
                case "--max-events": options.MaxEvents = ParseInt(name, value, 0); break;
                case "--seed": options.Seed = ParseInt(name, value, 0); break;
                case "--sample": options.Sample = ParseInt(name, value, 0); break;
                case "--read-duration": options.ReadDuration = ParseSeconds(name, value); break;
                case "--read-warmup": options.ReadWarmup = ParseSeconds(name, value); break;
                case "--read-callers": options.ReadCallers = ParseList(name, value, allowEmpty: true); break;
                case "--history-events": options.HistoryEvents = ParseInt(name, value, 0); break;
                case "--history-duration": options.HistoryDuration = ParseSeconds(name, value); break;
                case "--history-callers": options.HistoryCallers = ParseInt(name, value, 1); break;
                case "--idle-customers": options.IdleCustomers = ParseInt(name, value, 0); break;
                case "--idle-duration": options.IdleDuration = ParseSeconds(name, value); break;
                case "--pid":
                    var (role, pid) = value.Split('=') is [var r, var p] ? (r, ParseInt(name, p, 1)) : throw new ArgumentException($"{name} wants ROLE=PID, got {value}");
                    options.Pids[role] = pid;
                    break;
                case "--out": options.Output = value; break;
                case "--label": options.Label = value; break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }

        if (options.ProductUrl is null && options.BaselineUrl is null && options.ProductMemoryUrl is null &&
            options.ProductGrpcUrl is null && options.BareGrpcUrl is null)
        {
            throw new ArgumentException("no target: give --product, --product-memory, --baseline, --product-grpc and/or --bare-grpc");
        }

        // --connections names the main level, whatever order the two options came in; the other levels stay.
        if (mainConnections is { } main)
        {
            options.ConnectionLevels = [.. options.ConnectionLevels.SkipLast(1).Where(level => level != main), main];
        }

        options.ConnectionLevels = [.. options.ConnectionLevels.Reverse().Distinct().Reverse()];

        return options;
    }

    /// <summary>Prints the usage (and what was wrong); returns 0 when asked for, 2 for bad arguments.</summary>
    public static int Usage(string? error)
    {
        if (error is not null)
        {
            Console.Error.WriteLine($"error: {error}");
        }

        Console.Error.WriteLine("""
            usage: Billing.Bench.LoadGenerator run [options]
                   Billing.Bench.LoadGenerator catalog-env
                   Billing.Bench.LoadGenerator journal-check --log FILE --exit-code N [--out RESULTS.json] [--database NAME]

            targets (each optional):
              --product URL              gateway webhook endpoint (POST /stripe/webhook)
              --product-grpc URL         gateway gRPC endpoint (consistency check, entitlement and history reads)
              --product-memory URL       webhook endpoint of a gateway whose silo keeps the journal in memory
              --product-memory-grpc URL  its gRPC endpoint (consistency check)
              --baseline URL             naive baseline webhook endpoint
              --bare-grpc URL            bare gRPC server (entitlement reads)
            databases (Npgsql connection strings; PostgreSQL transactions per event from pg_stat_database):
              --product-db CS   --product-memory-db CS   --baseline-db CS
            load:
              --secret whsec_...     webhook signing secret        --customers N (10000)
              --connection-levels 1,8,64 (the last is the main level)   --connections N (sets the main level)
              --duration S (30)      --warmup S (5)                (main level)
              --level-duration S (10)   --level-warmup S (2)       (the other levels)
              --duplicates F (0.05)  --out-of-order F (0.1)        --zipf S (1.0)
              --max-events N (0: no limit)   --seed N (42)   --customer-prefix P   --run-tag T
            checks and reads:
              --sample N (200)       --read-duration S (10)   --read-warmup S (2)   --read-callers 64,256
              --history-events N (10000; 0: none)   --history-duration S (10)   --history-callers N (8)
              --idle-customers N (200000; 0: none)   --idle-duration S (20): the near-cache's upkeep, idle
            accounting and output:
              --pid ROLE=PID (gateway, silo, gateway-mem, silo-mem, baseline, bare, postgres: the postmaster,
                             children included)
              --out FILE.json        --label NAME
            """);
        return error is null ? 0 : 2;
    }

    private static Uri ParseUri(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"{name}: not a URL: {value}");

    private static int[] ParseList(string name, string value, bool allowEmpty = false) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries) is var items && (items.Length > 0 || allowEmpty)
            ? [.. items.Select(item => ParseInt(name, item, 1))]
            : throw new ArgumentException($"{name}: expected whole numbers separated by commas, got {value}");

    private static int ParseInt(string name, string value, int minimum) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new ArgumentException($"{name}: expected a whole number >= {minimum}, got {value}");

    private static double ParseDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw new ArgumentException($"{name}: expected a number >= 0, got {value}");

    private static double ParseShare(string name, string value) =>
        ParseDouble(name, value) is var share and <= 1 ? share : throw new ArgumentException($"{name}: expected 0 to 1, got {value}");

    private static TimeSpan ParseSeconds(string name, string value) => TimeSpan.FromSeconds(ParseDouble(name, value));
}
