namespace Billing.Grains.Tests;

/// <summary>The silo refuses to start with a configuration that would silently mis-derive entitlements.</summary>
public sealed class BillingOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(new BillingOptions().Validate());

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void A_grace_period_that_is_not_positive_is_refused(int seconds)
    {
        var options = new BillingOptions { Dunning = new DunningOptions { GracePeriod = TimeSpan.FromSeconds(seconds) } };
        Assert.Contains(options.Validate(), error => error.Contains("GracePeriod", StringComparison.Ordinal));
    }

    [Fact]
    public void A_catalog_entry_without_features_or_with_an_empty_one_is_refused()
    {
        var options = new BillingOptions { Catalog = new() { ["price_a"] = [], ["price_b"] = ["reports", " "] } };
        var errors = options.Validate().ToList();
        Assert.Contains(errors, error => error.Contains("price_a", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.Contains("price_b", StringComparison.Ordinal));
    }

    [Fact]
    public void A_journal_retention_shorter_than_the_dedupe_window_is_refused()
    {
        var options = new Billing.Journal.JournalOptions { Retention = TimeSpan.FromDays(29) };
        Assert.Contains(options.Validate(), error => error.Contains("Retention", StringComparison.Ordinal));
        Assert.Empty(new Billing.Journal.JournalOptions { Retention = TimeSpan.FromDays(30) }.Validate());
    }
}
