using Billing.Gateway.Admin;
using Billing.StripeEvents;

namespace Billing.Gateway.OperatorConsole;

/// <summary>
/// The console's one search box: <c>cus_…</c> and <c>acct_…/cus_…</c> are customers already; <c>sub_…</c> and
/// <c>evt_…</c> are looked up in the journal (indexed, migration 0011).
/// </summary>
public sealed class CustomerSearch(CustomerQueries customers)
{
    /// <summary>What the search found for <paramref name="query"/>.</summary>
    public async Task<SearchOutcome> FindAsync(string? query)
    {
        var id = query?.Trim() ?? string.Empty;
        if (id.Length == 0)
        {
            return new SearchOutcome(SearchKind.Empty, id, []);
        }

        if (id.Length > StripeEnvelopeReader.MaxIdLength)
        {
            return new SearchOutcome(SearchKind.Unrecognized, id, []);
        }

        if (IsCustomerId(id))
        {
            return new SearchOutcome(SearchKind.Customer, id, [id]);
        }

        if (id.StartsWith("sub_", StringComparison.Ordinal))
        {
            return new SearchOutcome(SearchKind.Subscription, id, await customers.FindBySubscriptionAsync(id));
        }

        if (id.StartsWith("evt_", StringComparison.Ordinal))
        {
            return new SearchOutcome(SearchKind.Event, id, await customers.FindByEventAsync(id));
        }

        return new SearchOutcome(SearchKind.Unrecognized, id, []);
    }

    private static bool IsCustomerId(string id)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? id.StartsWith("cus_", StringComparison.Ordinal) && id.Length > 4
            : id.StartsWith("acct_", StringComparison.Ordinal) && slash > 5
              && id.AsSpan(slash + 1).StartsWith("cus_", StringComparison.Ordinal) && id.Length > slash + 5;
    }
}

/// <summary>What kind of id was searched, and the customers it led to.</summary>
public sealed record SearchOutcome(SearchKind Kind, string Query, IReadOnlyList<string> Customers);

/// <summary>The kinds of id the search box takes.</summary>
public enum SearchKind
{
    /// <summary>Nothing was typed.</summary>
    Empty,

    /// <summary>Not an id the console knows.</summary>
    Unrecognized,

    /// <summary>A customer id (<c>cus_…</c> or <c>acct_…/cus_…</c>).</summary>
    Customer,

    /// <summary>A subscription id.</summary>
    Subscription,

    /// <summary>A Stripe event id.</summary>
    Event,
}
