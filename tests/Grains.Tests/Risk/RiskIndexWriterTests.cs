using System.Collections.Concurrent;
using Billing.Grains.Risk;

namespace Billing.Grains.Tests.Risk;

/// <summary>The at-risk index's group writer: many grains' writes in few batches, one row per customer, errors to every caller.</summary>
public sealed class RiskIndexWriterTests
{
    private static readonly RiskAssessment AtRisk = RiskAssessment.Of([new RiskReason("past_due", 40, "sub_1 is past_due")], cancelling: false);

    [Fact]
    public async Task Writes_arriving_while_a_batch_is_stored_go_together_in_the_next()
    {
        var batches = new ConcurrentQueue<int>();
        await using var writer = new RiskIndexWriter(async writes =>
        {
            batches.Enqueue(writes.Count);
            await Task.Delay(20);
        });

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => writer.WriteAsync(new RiskWrite($"cus_{i}", AtRisk, DateTimeOffset.UnixEpoch))));

        Assert.Equal(300, batches.Sum());
        Assert.True(batches.Count < 30, $"300 writes took {batches.Count} batches");
    }

    [Fact]
    public async Task A_customer_written_twice_in_one_batch_keeps_its_latest_write()
    {
        var stored = new ConcurrentQueue<RiskWrite>();
        var first = new TaskCompletionSource();
        await using var writer = new RiskIndexWriter(async writes =>
        {
            foreach (var write in writes)
            {
                stored.Enqueue(write);
            }

            await first.Task; // holds the first batch so the next three gather behind it
        });

        var blocker = writer.WriteAsync(new RiskWrite("cus_other", AtRisk, DateTimeOffset.UnixEpoch));
        var older = writer.WriteAsync(new RiskWrite("cus_1", AtRisk, DateTimeOffset.UnixEpoch.AddSeconds(2)));
        var removal = writer.WriteAsync(new RiskWrite("cus_1", null, DateTimeOffset.UnixEpoch.AddSeconds(3)));
        var stale = writer.WriteAsync(new RiskWrite("cus_1", AtRisk, DateTimeOffset.UnixEpoch.AddSeconds(1)));
        first.SetResult();
        await Task.WhenAll(blocker, older, removal, stale);

        var ofCustomer = stored.Where(write => write.CustomerKey == "cus_1").ToArray();
        Assert.Single(ofCustomer);
        Assert.Null(ofCustomer[0].Assessment);
    }

    [Fact]
    public async Task A_failed_batch_fails_each_of_its_writes_and_the_next_batch_is_tried_anew()
    {
        var calls = 0;
        await using var writer = new RiskIndexWriter(_ => Interlocked.Increment(ref calls) == 1
            ? Task.FromException(new InvalidOperationException("database down"))
            : Task.CompletedTask);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(new RiskWrite("cus_1", AtRisk, DateTimeOffset.UnixEpoch)));
        Assert.Equal("database down", failed.Message);
        await writer.WriteAsync(new RiskWrite("cus_1", AtRisk, DateTimeOffset.UnixEpoch));
        Assert.Equal(2, calls);
    }
}
