using System.Globalization;

namespace Billing.Bench.StripeStub;

/// <summary>The command line: what to seed, where to listen, how hard to push back.</summary>
internal sealed record StubOptions(int Port, int Subscriptions, IReadOnlyList<string> ConnectedAccounts, int SubscriptionsPerAccount,
    bool Features, double? MaxRequestsPerSecond)
{
    public const string Usage =
        "usage: StripeStub [--port N (0 = any)] [--subscriptions N] [--connected-accounts acct_a,acct_b] "
        + "[--subscriptions-per-account N (100)] [--features] [--max-rps X]";

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with the usage on anything unknown.</summary>
    public static StubOptions Parse(string[] args)
    {
        var options = new StubOptions(0, 0, [], 100, false, null);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--port" => options with { Port = Int(args, ref i) },
                "--subscriptions" => options with { Subscriptions = Int(args, ref i) },
                "--connected-accounts" => options with
                {
                    ConnectedAccounts = Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                },
                "--subscriptions-per-account" => options with { SubscriptionsPerAccount = Int(args, ref i) },
                "--features" => options with { Features = true },
                "--max-rps" => options with { MaxRequestsPerSecond = double.Parse(Value(args, ref i), CultureInfo.InvariantCulture) },
                var unknown => throw new ArgumentException($"unknown argument {unknown}\n{Usage}"),
            };
        }

        return options;
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value\n{Usage}");

    private static int Int(string[] args, ref int i) => int.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
}
