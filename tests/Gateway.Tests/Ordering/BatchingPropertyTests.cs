using Billing.Gateway.Tests.Infrastructure;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Testing.Events;
using CsCheck;

namespace Billing.Gateway.Tests.Ordering;

/// <summary>
/// The gateway hands a customer's events to its grain in batches whose boundaries depend on timing. Whatever the
/// boundaries, the grain must end where one-by-one delivery ends, and answer every delivery the same way.
/// </summary>
public sealed class BatchingPropertyTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task Any_split_of_deliveries_into_batches_ends_as_one_by_one_delivery()
    {
        var cluster = fixture.Stack.Cluster.Client;
        await Gen.Int.SampleAsync(async seed =>
        {
            var random = new Random(seed);
            var (events, _, _) = HistoryGenerator.Generate(random);

            // Stripe's arrival: shuffled, with some events delivered again (also inside one batch).
            var deliveries = events.Concat(events.Where(_ => random.Next(4) == 0)).ToArray();
            random.Shuffle(deliveries);

            var oneByOne = cluster.GetGrain<ICustomerGrain>($"cus_prop_single_{Guid.NewGuid():N}");
            var expectedStatuses = new List<ApplyStatus>();
            foreach (var delivery in deliveries)
            {
                expectedStatuses.Add(await oneByOne.ApplyAsync(delivery));
            }

            var batched = cluster.GetGrain<ICustomerGrain>($"cus_prop_batch_{Guid.NewGuid():N}");
            var statuses = new List<ApplyStatus>();
            ApplyResult? last = null;
            for (var taken = 0; taken < deliveries.Length;)
            {
                var size = Math.Min(random.Next(1, 9), deliveries.Length - taken);
                last = await batched.ApplyAllAsync([.. deliveries.AsSpan(taken, size)]);
                statuses.AddRange(last.Statuses);
                taken += size;
            }

            Assert.Equal(expectedStatuses, statuses);
            var expected = await oneByOne.GetEntitlementsAsync();
            var actual = await batched.GetEntitlementsAsync();
            Assert.Equal(Describe(expected), Describe(actual));
            Assert.Equal(Describe(actual), Describe(last!.Entitlements));
        }, iter: 100, threads: 1);
    }

    // Everything but the customer id and the time of the change.
    private static string Describe(CustomerEntitlements entitlements) =>
        $"{entitlements.Access} [{string.Join(",", entitlements.Features)}] v{entitlements.Version}";
}
