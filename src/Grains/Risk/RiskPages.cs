namespace Billing.Grains.Risk;

/// <summary>Turns the rows a store read (at most one more than the page) into a page and its cursor.</summary>
internal static class RiskPages
{
    public static AtRiskPage Of(IReadOnlyList<RiskIndexRow> rows, int limit, DateTimeOffset now)
    {
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit && page.Count > 0
            ? RiskCursor.After(page[^1].Assessment.Score, page[^1].UpdatedAt, page[^1].CustomerKey).Encode()
            : string.Empty;
        return new AtRiskPage([.. page.Select(row => new AtRiskCustomer(row.CustomerKey, row.Assessment.At(now), row.UpdatedAt))], next);
    }
}
