using System.Net;
using Billing.StripeSamples;

namespace Billing.Gateway.Tests.Recovery;

/// <summary>
/// A fresh deployment of an existing Stripe account: the import applies every subscription (every status) and each
/// customer's active entitlements, and every customer then answers as Stripe says, without waiting for an event.
/// </summary>
public sealed class ImportTests
{
    private static readonly long Created = DateTimeOffset.UtcNow.AddDays(-100).ToUnixTimeSeconds();

    [Fact]
    public async Task A_fresh_deployment_imports_5000_subscriptions_and_answers_each_customer()
    {
        const int count = 5_000;
        await using var recovery = await RecoveryStack.StartAsync("import", stub =>
        {
            for (var i = 0; i < count; i++)
            {
                stub.Account().PutSubscription(StripeObjectJson.Subscription(Sub(i), Customer(i), StatusOf(i), Created + i));
                if (i % 50 == 0)
                {
                    stub.Account().PutActiveEntitlements(Customer(i), "premium");
                }
            }

            // A customer with active entitlements and no subscription is imported too.
            stub.Account().PutCustomer("cus_import_entitled_only", Created);
            stub.Account().PutActiveEntitlements("cus_import_entitled_only", "support");
        });

        var (status, started) = await recovery.PostAsync("/admin/stripe/import");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var (again, running) = await recovery.PostAsync("/admin/stripe/import");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal((string)started["id"]!, (string)running["id"]!);

        var job = await recovery.WaitForJobAsync((string)started["id"]!, TimeSpan.FromMinutes(4));
        Assert.Equal("done", (string)job["state"]!);
        Assert.Equal(1.0, (double)job["progress"]!);
        var counts = job["counts"]!;
        Assert.True((long)counts["fetched"]! >= count, job.ToJsonString());
        Assert.Equal(count + (count / 50) + 1, (long)counts["applied"]!);
        Assert.Equal(0, (long)counts["failed"]!);

        for (var i = 0; i < count; i++)
        {
            var (access, features) = await recovery.EntitlementsAsync(Customer(i));
            var expected = ExpectedAccess(StatusOf(i));
            Assert.True(expected == access, $"{Customer(i)} ({StatusOf(i)}): {access}");
            string[] expectedFeatures = access is "NONE" ? [] : ["exports", "reports"];
            if (i % 50 == 0 && access != "SUSPENDED")
            {
                expectedFeatures = [.. expectedFeatures.Append("premium").Order(StringComparer.Ordinal)];
            }

            Assert.Equal(expectedFeatures, features);
        }

        var (onlyAccess, onlyFeatures) = await recovery.EntitlementsAsync("cus_import_entitled_only");
        Assert.Equal("NONE", onlyAccess);
        Assert.Equal("support", Assert.Single(onlyFeatures));
        var history = await recovery.HistoryAsync(Customer(1));
        var imported = Assert.Single(history);
        Assert.Equal(("billing.imported", "import"), (imported.Type, imported.Source));
    }

    [Fact]
    public async Task Without_an_api_key_the_recovery_routes_answer_400()
    {
        await using var recovery = await RecoveryStack.StartAsync("import-nokey", apiKey: false);

        var (status, body) = await recovery.PostAsync("/admin/stripe/import");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("stripe_api_not_configured", (string)body["error"]!);
        Assert.Empty((await recovery.GetAsync("/admin/stripe/jobs"))["jobs"]!.AsArray());
    }

    internal static string Customer(int i) => $"cus_import_{i:D5}";

    private static string Sub(int i) => $"sub_import_{i:D5}";

    // Mostly active, as a real account: some trialing, past due and canceled.
    private static string StatusOf(int i) => (i % 10) switch
    {
        7 => "trialing",
        8 => "past_due",
        9 => "canceled",
        _ => "active",
    };

    // An imported past_due subscription begins dunning when fetched: GRACE for the grace period.
    private static string ExpectedAccess(string status) => status switch
    {
        "active" or "trialing" => "ACTIVE",
        "past_due" => "GRACE",
        _ => "NONE",
    };
}
