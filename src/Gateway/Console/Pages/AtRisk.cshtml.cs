using Billing.Gateway.Admin;
using Billing.Grains.Risk;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Billing.Gateway.OperatorConsole.Pages;

/// <summary><c>/console/at-risk</c>: the at-risk index the customer grains keep, 50 a page, as <c>GET /admin/customers/at-risk</c> reads it.</summary>
public sealed class AtRiskModel(IClusterClient cluster) : PageModel
{
    /// <summary>The previous page's cursor.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    /// <summary>This page.</summary>
    public AtRiskView Results { get; private set; } = new([], string.Empty, Heuristic: true);

    /// <summary>Reads a page (a cursor not issued here starts from the top).</summary>
    public async Task OnGetAsync()
    {
        var cursor = Cursor is { Length: > 0 } && RiskCursor.Decode(Cursor) is not null ? Cursor : null;
        Results = AtRiskView.From(await cluster.GetGrain<IRiskQueriesGrain>(0).ListAtRiskAsync(RiskCursor.DefaultLimit, cursor));
    }
}
