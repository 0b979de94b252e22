using System.Globalization;
using Billing.Gateway.Admin;
using Billing.Gateway.History;
using Billing.Grains.Journal;
using Billing.StripeEvents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Billing.Gateway.OperatorConsole.Pages;

/// <summary>
/// <c>/console/customer?id=</c>: entitlements and subscriptions now, a page of the history with what each entry
/// changed, and the entitlements as of an instant (<c>&amp;at=</c>).
/// </summary>
public sealed class CustomerModel(CustomerQueries customers, EntitlementsAsOf asOf) : PageModel
{
    /// <summary>History entries per page.</summary>
    public const int PageSize = 50;

    /// <summary>The customer id.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    /// <summary>The page starts after this journal version.</summary>
    [BindProperty(SupportsGet = true)]
    public long After { get; set; }

    /// <summary>The as-of instant as typed (RFC 3339, UTC when no offset is given).</summary>
    [BindProperty(SupportsGet = true)]
    public string? At { get; set; }

    /// <summary>The customer now.</summary>
    public CustomerView? Customer { get; private set; }

    /// <summary>This page of the history, each entry with the one before it (null for the customer's first).</summary>
    public IReadOnlyList<TimelineRow> Timeline { get; private set; } = [];

    /// <summary>The version the next page starts after; 0 on the last page.</summary>
    public long NextAfter { get; private set; }

    /// <summary>The as-of answer, when an instant was asked.</summary>
    public AsOfResult? AsOfAnswer { get; private set; }

    /// <summary>The instant the answer is for.</summary>
    public DateTimeOffset? AsOfInstant { get; private set; }

    /// <summary>Why the typed instant could not be read.</summary>
    public string? AsOfError { get; private set; }

    /// <summary>A problem with the id itself.</summary>
    public string? IdError { get; private set; }

    /// <summary>Reads the customer, a page of its history, and the as-of answer in parallel.</summary>
    public async Task<IActionResult> OnGetAsync()
    {
        var id = Id?.Trim() ?? string.Empty;
        if (id.Length is 0 or > StripeEnvelopeReader.MaxIdLength)
        {
            IdError = $"A customer id is 1 to {StripeEnvelopeReader.MaxIdLength} characters.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Id = id;
        After = Math.Max(0, After);
        var customer = customers.GetAsync(id);

        // One entry before the page too, so that the page's first entry shows what it changed.
        var history = customers.ListHistoryAsync(id, Math.Max(0, After - 1), PageSize + 1);
        var answer = ReadInstant() is { } instant ? asOf.GetAsync(id, instant) : null;

        Customer = await customer;
        var page = await history;
        var entries = page.Entries;
        var rows = new List<TimelineRow>(PageSize);
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Version > After)
            {
                rows.Add(new TimelineRow(entries[i], i > 0 ? entries[i - 1] : null));
            }
        }

        Timeline = rows.Take(PageSize).ToArray();
        NextAfter = Timeline.Count > 0 && (page.NextAfterVersion > 0 || rows.Count > PageSize) ? Timeline[^1].Entry.Version : 0;
        if (answer is not null)
        {
            AsOfAnswer = await answer;
        }

        return Page();
    }

    private DateTimeOffset? ReadInstant()
    {
        if (string.IsNullOrWhiteSpace(At))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(At.Trim(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            AsOfError = $"\"{At}\" is not a time. Write it as 2026-12-01T17:30:00Z (UTC).";
            return null;
        }

        AsOfInstant = instant;
        return instant;
    }
}

/// <summary>A history entry and the one before it, to tell what it changed.</summary>
public sealed record TimelineRow(HistoryEntry Entry, HistoryEntry? Previous)
{
    /// <summary>Access before, when it changed.</summary>
    public string? AccessBefore => Previous is { } p && p.Access != Entry.Access ? CustomerView.AccessName(p.Access)
        : Previous is null && Entry.Changed ? "NONE" : null;

    /// <summary>Features the entry added.</summary>
    public IEnumerable<string> Added => Entry.Features.Except(Previous?.Features ?? [], StringComparer.Ordinal);

    /// <summary>Features the entry removed.</summary>
    public IEnumerable<string> Removed => (Previous?.Features ?? []).Except(Entry.Features, StringComparer.Ordinal);
}
