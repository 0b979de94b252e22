using System.Globalization;
using Billing.StripeSamples;

namespace Billing.SendEvent;

/// <summary>What the command line asks for: a sample event built in code, or an event file.</summary>
internal sealed record SendEventOptions
{
    /// <summary>run.sh's gateway webhook.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080/stripe/webhook";

    /// <summary>The development secret ./run.sh gives the gateway when STRIPE_WEBHOOK_SECRET is not set.</summary>
    public const string DevSecret = "whsec_local_development_secret";

    /// <summary>The most events one run sends.</summary>
    public const int MaxCount = 10_000;

    public string Url { get; init; } = DefaultUrl;

    public string Secret { get; init; } = DevSecret;

    /// <summary>The event file to send; null when <see cref="Type"/> asks for a sample.</summary>
    public string? File { get; init; }

    /// <summary>The sample's event type; null when a file is sent.</summary>
    public string? Type { get; init; }

    public string? Customer { get; init; }

    public string? Status { get; init; }

    public string? PreviousStatus { get; init; }

    public string? Price { get; init; }

    public IReadOnlyList<string>? Features { get; init; }

    public string? Subscription { get; init; }

    public long? Amount { get; init; }

    public string? Account { get; init; }

    public int Count { get; init; } = 1;

    /// <summary>Files only: give the event a fresh id.</summary>
    public bool NewId { get; init; }

    /// <summary>Reads the arguments; <paramref name="environment"/> supplies STRIPE_WEBHOOK_SECRET.</summary>
    /// <returns>The options, or null and why not; both null for --help.</returns>
    public static (SendEventOptions? Options, string? Error) Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new SendEventOptions();
        if (environment("STRIPE_WEBHOOK_SECRET") is { Length: > 0 } fromEnvironment)
        {
            options = options with { Secret = fromEnvironment };
        }

        var sampleOnly = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => args[++i];
            var hasValue = i + 1 < args.Count;
            switch (arg)
            {
                case "-h" or "--help": return (null, null);
                case "--new-id": options = options with { NewId = true }; break;
                case "--url" when hasValue: options = options with { Url = Value() }; break;
                case "--secret" when hasValue: options = options with { Secret = Value() }; break;
                case "--type" when hasValue: options = options with { Type = Value() }; break;
                case "--customer" when hasValue: options = options with { Customer = Value() }; break;
                case "--account" when hasValue: options = options with { Account = Value() }; break;
                case "--status" when hasValue: options = options with { Status = Value() }; sampleOnly.Add(arg); break;
                case "--previous-status" when hasValue: options = options with { PreviousStatus = Value() }; sampleOnly.Add(arg); break;
                case "--price" when hasValue: options = options with { Price = Value() }; sampleOnly.Add(arg); break;
                case "--subscription" when hasValue: options = options with { Subscription = Value() }; sampleOnly.Add(arg); break;
                case "--features" when hasValue:
                    options = options with
                    {
                        Features = Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                    };
                    sampleOnly.Add(arg);
                    break;
                case "--amount" when hasValue:
                    if (!long.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
                    {
                        return (null, $"--amount takes a whole number of cents, not '{args[i]}'");
                    }

                    options = options with { Amount = amount };
                    sampleOnly.Add(arg);
                    break;
                case "--count" when hasValue:
                    if (!int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxCount)
                    {
                        return (null, $"--count takes a number from 1 to {MaxCount}, not '{args[i]}'");
                    }

                    options = options with { Count = count };
                    sampleOnly.Add(arg);
                    break;
                case var _ when arg.StartsWith('-'): return (null, $"unknown or incomplete option: {arg}");
                case var _ when options.File is null: options = options with { File = arg }; break;
                default: return (null, $"unexpected argument: {arg}");
            }
        }

        var error = Validate(options, sampleOnly);
        return error is null ? (options, null) : (null, error);
    }

    private static string? Validate(SendEventOptions options, List<string> sampleOnly)
    {
        if (options.File is not null && options.Type is not null)
        {
            return "give either an event file or --type, not both";
        }

        if (options.File is null && options.Type is null)
        {
            return "no event: give --type TYPE --customer cus_… (or an event file)";
        }

        if (options.File is not null)
        {
            return sampleOnly.Count > 0 ? $"{sampleOnly[0]} applies to --type samples, not to a file" : null;
        }

        if (!SampleEvents.Supports(options.Type!))
        {
            return $"no sample for '{options.Type}'; types: {string.Join(", ", SampleEvents.Types)}";
        }

        if (options.NewId)
        {
            return "--new-id applies to files; samples always get a fresh id";
        }

        if (options.Customer is not { Length: > 0 })
        {
            return "--type needs --customer cus_… (e.g. --customer cus_demo)";
        }

        return options.Account is { } account && !account.StartsWith("acct_", StringComparison.Ordinal)
            ? $"--account takes a connected account id (acct_…), not '{account}'"
            : null;
    }
}
