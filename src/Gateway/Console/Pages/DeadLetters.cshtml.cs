using Billing.Gateway.Admin;
using Billing.Outbound;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Billing.Gateway.OperatorConsole.Pages;

/// <summary><c>/console/dead-letters</c>: newest first, 50 a page, pending, replayed or all.</summary>
public sealed class DeadLettersModel(DeadLetterOperations deadLetters) : PageModel
{
    private const int PageSize = 50;

    /// <summary><c>pending</c> (default), <c>replayed</c> or <c>all</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public string State { get; set; } = "pending";

    /// <summary>Only this customer's.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Customer { get; set; }

    /// <summary>Only ids below this one (the previous page's last).</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    /// <summary>This page.</summary>
    public IReadOnlyList<DeadLetter> Rows { get; private set; } = [];

    /// <summary>Where the next page starts; null on the last.</summary>
    public long? NextBefore { get; private set; }

    /// <summary>Reads one page (the store filters pending itself; replayed ones are picked from a page of all).</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        State = State is "replayed" or "all" ? State : "pending";
        var customer = string.IsNullOrWhiteSpace(Customer) ? null : Customer.Trim();
        var page = await deadLetters.ListAsync(new DeadLetterQuery(PageSize, Before, State == "pending", customer), cancellationToken);
        Rows = State == "replayed" ? [.. page.Where(d => !d.IsPending)] : page;
        NextBefore = page.Count == PageSize ? page[^1].Id : null;
    }
}
