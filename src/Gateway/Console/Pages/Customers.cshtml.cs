using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Billing.Gateway.OperatorConsole.Pages;

/// <summary><c>/console/customers?q=</c>: one search box for every id an operator may hold.</summary>
public sealed class CustomersModel(CustomerSearch search) : PageModel
{
    /// <summary>What was typed.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>What the search found; null before a search.</summary>
    public SearchOutcome? Outcome { get; private set; }

    /// <summary>Searches; a single customer opens at once.</summary>
    public async Task<IActionResult> OnGetAsync()
    {
        if (string.IsNullOrWhiteSpace(Query))
        {
            return Page();
        }

        Outcome = await search.FindAsync(Query);
        return Outcome.Customers.Count == 1 ? Redirect(ConsoleFormat.CustomerUrl(Outcome.Customers[0])) : Page();
    }
}
