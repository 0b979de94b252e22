namespace Billing.Journal.Tests;

/// <summary>The console's search by event and subscription id, the same in PostgreSQL (indexed) and in memory.</summary>
public abstract class CustomerLookupContract
{
    protected abstract IJournalStore Store { get; }

    protected abstract ICustomerLookup Lookup { get; }

    [Fact]
    public async Task An_event_id_and_a_subscription_id_find_the_customers_whose_journal_holds_them()
    {
        var first = Entries.NewCustomer();
        var second = Entries.NewCustomer();
        var subscription = $"sub_{Guid.NewGuid():N}"[..24];
        await AppendAsync(first, $"evt_a_{first}", subscription);
        await AppendAsync(second, $"evt_b_{second}", subscription);

        Assert.Equal([first], await Lookup.FindByEventAsync($"evt_a_{first}", 10));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), await Lookup.FindBySubscriptionAsync(subscription, 10));
        Assert.Single(await Lookup.FindBySubscriptionAsync(subscription, 1));
    }

    [Fact]
    public async Task Ids_no_journal_holds_find_nobody()
    {
        var customer = Entries.NewCustomer();
        await AppendAsync(customer, $"evt_c_{customer}", subscription: null);

        Assert.Empty(await Lookup.FindByEventAsync("evt_nobody_has_this", 10));
        Assert.Empty(await Lookup.FindBySubscriptionAsync("sub_nobody_has_this", 10));
    }

    private async Task AppendAsync(string customer, string eventId, string? subscription)
    {
        var stripeEvent = new System.Text.Json.Nodes.JsonObject { ["id"] = eventId };
        if (subscription is not null)
        {
            stripeEvent["subscription"] = new System.Text.Json.Nodes.JsonObject { ["id"] = subscription, ["status"] = "active" };
        }

        var facts = new System.Text.Json.Nodes.JsonObject { ["event"] = stripeEvent }.ToJsonString();
        var entry = Entries.Entry(customer, 1, eventId) with { Facts = facts };
        Assert.Equal(AppendOutcome.Appended,
            await Store.AppendAsync(new JournalAppend(customer, 0, [entry], new JournalHead(1, null, 0, 0, 0))));
    }
}
