using Billing.Gateway.Tests.Infrastructure;
using Billing.Grains;
using Billing.Grains.Customers;
using Billing.Grains.Journal;
using Billing.StripeSamples;
using Billing.Testing.Events;
using Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Tests.Journal;

/// <summary>
/// The fold must be a function of the journal alone: folding every customer's journal again, from its first entry,
/// reproduces every effect recorded at the time (the benchmark runs the same check on its load with
/// <c>verify-journal</c>). And the check is real: an effect changed behind its back is reported.
/// </summary>
public sealed class JournalDriftTests() : OwnDatabaseTests("drift")
{
    [Fact]
    public async Task Folding_every_journal_again_reproduces_the_recorded_effects_and_a_tampered_one_is_found()
    {
        await using var stack = await BillingStack.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Billing:Dunning:GracePeriod"] = "00:00:02",
            ["Billing:Journal:SweepInterval"] = "00:00:00.500",
        });
        var random = new Random(20261201);

        // Generated histories, delivered shuffled and in batches, with duplicates...
        for (var c = 0; c < 40; c++)
        {
            var (events, _, _) = HistoryGenerator.Generate(random);
            var deliveries = events.Concat(events.Where(_ => random.Next(5) == 0)).ToArray();
            random.Shuffle(deliveries);
            var grain = stack.Cluster.Client.GetGrain<ICustomerGrain>($"cus_drift_{c}");
            for (var taken = 0; taken < deliveries.Length;)
            {
                var size = Math.Min(random.Next(1, 5), deliveries.Length - taken);
                await grain.ApplyAllAsync([.. deliveries.AsSpan(taken, size)]);
                taken += size;
            }
        }

        // ...and customers whose grace period the timer ends, journaling billing.grace_expired.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var dunning = Enumerable.Range(0, 3).Select(_ => StripeEventJson.NewCustomerId()).ToArray();
        foreach (var customer in dunning)
        {
            await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_1", "active", now - 10));
            await stack.Webhooks.ApplyAsync(StripeEventJson.Invoice(customer, "invoice.payment_failed", now));
            await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_1", "past_due", now, previousStatus: "active"));
        }

        await WaitForSuspensionAsync(stack, dunning);
        var verifier = new JournalVerifier(stack.Journal, stack.Cluster.GetSiloServiceProvider(stack.Cluster.Silos[0].SiloAddress)
            .GetRequiredService<IOptions<BillingOptions>>().Value);

        var clean = await verifier.VerifyAsync();

        Assert.Equal(43, clean.Customers);
        Assert.True(clean.Entries > 300, $"only {clean.Entries} entries");
        Assert.True(clean.Mismatches == 0, string.Join("\n", clean.Examples));
        Assert.Equal(0, clean.SkippedCustomers);

        await using (var tamper = Database.DataSource.CreateCommand(
            "UPDATE billing_journal SET effects = jsonb_set(effects::jsonb, '{features}', '[\"tampered\"]')::json WHERE customer_id = 'cus_drift_7' AND version = 1"))
        {
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        var tampered = await verifier.VerifyAsync();
        Assert.Equal(1, tampered.Mismatches);
        Assert.StartsWith("cus_drift_7 v1", Assert.Single(tampered.Examples), StringComparison.Ordinal);
    }

    private static async Task WaitForSuspensionAsync(BillingStack stack, string[] customers)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var customer in customers)
        {
            while ((await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customer })).Access != V1.AccessState.Suspended)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{customer} was never suspended by the timer");
                await Task.Delay(200);
            }

            var events = await stack.History.ListCustomerEventsAsync(new ListCustomerEventsRequest { CustomerId = customer });
            Assert.Equal(("billing.grace_expired", "timer"), (events.Events[^1].Type, events.Events[^1].Source));
        }
    }
}
