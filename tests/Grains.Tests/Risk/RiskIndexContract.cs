using Billing.Grains.Risk;

namespace Billing.Grains.Tests.Risk;

/// <summary>What every <see cref="IRiskIndex"/> must do: order, paging, idempotent upserts, ordering of writes, expiry.</summary>
public abstract class RiskIndexContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh, empty index.</summary>
    protected abstract Task<IRiskIndex> CreateAsync();

    [Fact]
    public async Task Rows_are_listed_by_score_then_most_recent_change_and_paged_without_gaps_or_repeats()
    {
        var index = await CreateAsync();
        await index.UpsertAsync("cus_a", Risk(40), T0);
        await index.UpsertAsync("cus_b", Risk(90), T0);
        await index.UpsertAsync("cus_c", Risk(40), T0.AddMinutes(5));
        await index.UpsertAsync("cus_d", Cancelling(), T0);
        await index.UpsertAsync("cus_e", Risk(40), T0.AddMinutes(5));

        var first = await index.ListAsync(2, null, T0.AddHours(1));
        var second = await index.ListAsync(2, RiskCursor.Decode(first.NextCursor), T0.AddHours(1));
        var third = await index.ListAsync(2, RiskCursor.Decode(second.NextCursor), T0.AddHours(1));

        Assert.Equal(["cus_b", "cus_e"], first.Customers.Select(c => c.CustomerId));
        Assert.Equal(["cus_c", "cus_a"], second.Customers.Select(c => c.CustomerId));
        Assert.Equal(["cus_d"], third.Customers.Select(c => c.CustomerId));
        Assert.Equal(string.Empty, third.NextCursor);
        Assert.True(third.Customers[0].Assessment.Cancelling);
        Assert.Equal(T0.AddMinutes(5), first.Customers[1].UpdatedAt);
        Assert.Equal(RiskBand.High, first.Customers[0].Assessment.Band);
    }

    [Fact]
    public async Task Writing_the_same_assessment_again_keeps_the_row_and_its_time()
    {
        var index = await CreateAsync();
        await index.UpsertAsync("cus_a", Risk(40), T0);
        await index.UpsertAsync("cus_b", Risk(40), T0.AddMinutes(1));

        await index.UpsertAsync("cus_a", Risk(40), T0.AddMinutes(10)); // an activation writing what the row says

        var page = await index.ListAsync(10, null, T0.AddHours(1));
        Assert.Equal(["cus_b", "cus_a"], page.Customers.Select(c => c.CustomerId));
        Assert.Equal(T0, page.Customers[1].UpdatedAt);
    }

    [Fact]
    public async Task An_older_write_never_replaces_a_newer_one()
    {
        var index = await CreateAsync();
        await index.UpsertAsync("cus_a", Risk(70), T0.AddMinutes(2));

        await index.UpsertAsync("cus_a", Risk(10), T0.AddMinutes(1));
        await index.RemoveAsync("cus_a", T0.AddMinutes(1));

        var row = Assert.Single((await index.ListAsync(10, null, T0.AddHours(1))).Customers);
        Assert.Equal(70, row.Assessment.Score);

        await index.UpsertAsync("cus_a", Risk(30), T0.AddMinutes(3));
        Assert.Equal(30, Assert.Single((await index.ListAsync(10, null, T0.AddHours(1))).Customers).Assessment.Score);
        await index.RemoveAsync("cus_a", T0.AddMinutes(3));
        Assert.Empty((await index.ListAsync(10, null, T0.AddHours(1))).Customers);
    }

    [Fact]
    public async Task Reasons_whose_window_passed_are_dropped_at_read_and_a_row_with_nothing_left_is_skipped()
    {
        var index = await CreateAsync();
        var refund = new RiskReason("refund", 10, "a charge was refunded on 2026-11-20", T0.AddDays(30));
        await index.UpsertAsync("cus_refund_only", RiskAssessment.Of([refund], cancelling: false), T0);
        await index.UpsertAsync("cus_mixed", RiskAssessment.Of([refund, new RiskReason("past_due", 40, "subscription sub_1 is past_due")], false), T0);

        var before = await index.ListAsync(10, null, T0.AddDays(29));
        var after = await index.ListAsync(10, null, T0.AddDays(31));

        Assert.Equal(["cus_mixed", "cus_refund_only"], before.Customers.Select(c => c.CustomerId));
        Assert.Equal([("refund", 10, "a charge was refunded on 2026-11-20")], before.Customers[1].Assessment.Reasons.Select(r => (r.Code, r.Points, r.Detail)));
        var mixed = Assert.Single(after.Customers);
        Assert.Equal(("cus_mixed", 40, RiskBand.Medium), (mixed.CustomerId, mixed.Assessment.Score, mixed.Assessment.Band));
        Assert.Equal(["past_due"], mixed.Assessment.Reasons.Select(r => r.Code));
    }

    protected static RiskAssessment Risk(int points) =>
        RiskAssessment.Of([new RiskReason("past_due", points, $"{points} points")], cancelling: false);

    protected static RiskAssessment Cancelling() => RiskAssessment.Of([], cancelling: true);
}
