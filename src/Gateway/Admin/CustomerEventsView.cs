using Billing.Gateway.History;
using Billing.Grains.Journal;

namespace Billing.Gateway.Admin;

/// <summary><c>GET /admin/customers/{id}/events</c>: one page of a customer's history, oldest first.</summary>
public sealed record CustomerEventsView(IReadOnlyList<CustomerEventView> Events, string NextPageToken)
{
    /// <summary>The view of <paramref name="page"/>.</summary>
    public static CustomerEventsView From(string customerId, HistoryPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new CustomerEventsView([.. page.Entries.Select(CustomerEventView.From)], HistoryPageToken.Encode(customerId, page.NextAfterVersion));
    }
}

/// <summary>One applied event, as operators see it.</summary>
public sealed record CustomerEventView(
    string EventId,
    string Type,
    DateTime? Created,
    DateTime RecordedAt,
    string Source,
    bool Changed,
    EntitlementsAfterView EntitlementsAfter)
{
    /// <summary>The view of <paramref name="entry"/>.</summary>
    public static CustomerEventView From(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new CustomerEventView(entry.EventId, entry.Type, entry.Created?.UtcDateTime, entry.RecordedAt.UtcDateTime,
            JournalSources.NameOf(entry.Source), entry.Changed,
            new EntitlementsAfterView(CustomerView.AccessName(entry.Access), entry.Features, entry.EntitlementsVersion));
    }
}

/// <summary>The entitlements after an event.</summary>
public sealed record EntitlementsAfterView(string Access, IReadOnlyList<string> Features, long Version);
