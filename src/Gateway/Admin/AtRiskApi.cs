using System.Text.Json.Serialization;
using Billing.Grains.Risk;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Gateway.Admin;

/// <summary>
/// <c>GET /admin/customers/at-risk?limit=50&amp;cursor=</c>: customers with a churn-risk score above 0 or a scheduled
/// cancellation, highest score first, then most recent change, read from the at-risk index the customer grains keep.
/// A heuristic, labelled so in the answer. Mapped beside <c>/admin/customers/{id}</c>: the literal segment wins.
/// </summary>
public static class AtRiskApi
{
    /// <summary>Maps <c>GET /admin/customers/at-risk</c>.</summary>
    public static IEndpointRouteBuilder MapAtRiskApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGroup($"{AdminApi.RoutePrefix}/customers")
            .AddEndpointFilter<ApiKeyEndpointFilter>()
            .DisableAntiforgery()
            .MapGet("/at-risk", ListAsync).WithName("ListCustomersAtRisk");
        return routes;
    }

    /// <summary><c>limit</c> 1..500 (default 50); <c>cursor</c>: the previous page's <c>next_cursor</c>.</summary>
    internal static async Task<Results<JsonHttpResult<AtRiskView>, JsonHttpResult<AdminError>>> ListAsync(
        IClusterClient cluster, int? limit, string? cursor)
    {
        var size = limit ?? RiskCursor.DefaultLimit;
        if (size is < 1 or > RiskCursor.MaxLimit)
        {
            return BadRequest($"limit must be between 1 and {RiskCursor.MaxLimit}");
        }

        if (cursor is { Length: > 0 } && RiskCursor.Decode(cursor) is null)
        {
            return BadRequest("cursor was not issued by this server");
        }

        var page = await cluster.GetGrain<IRiskQueriesGrain>(0).ListAtRiskAsync(size, cursor);
        return TypedResults.Json(AtRiskView.From(page), AtRiskJsonContext.Default.AtRiskView);
    }

    private static JsonHttpResult<AdminError> BadRequest(string message) =>
        TypedResults.Json(new AdminError("bad_request", message), AdminJsonContext.Default.AdminError,
            statusCode: StatusCodes.Status400BadRequest);
}

/// <summary>
/// The at-risk list: <c>{"customers": [{"customer_id", "score", "band", "cancelling", "reasons", "updated_at"}],
/// "next_cursor": "", "heuristic": true}</c> (empty <c>next_cursor</c>: the last page).
/// </summary>
public sealed record AtRiskView(IReadOnlyList<AtRiskCustomerView> Customers, string NextCursor, bool Heuristic)
{
    /// <summary>The view of <paramref name="page"/>.</summary>
    public static AtRiskView From(AtRiskPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new AtRiskView(
            [.. page.Customers.Select(c => new AtRiskCustomerView(c.CustomerId, c.Assessment.Score, RiskView.BandName(c.Assessment.Band),
                c.Assessment.Cancelling, [.. c.Assessment.Reasons.Select(r => new RiskReasonView(r.Code, r.Points, r.Detail))],
                c.UpdatedAt.UtcDateTime))],
            page.NextCursor, Heuristic: true);
    }
}

/// <summary>One customer of <see cref="AtRiskView"/>.</summary>
public sealed record AtRiskCustomerView(string CustomerId, int Score, string Band, bool Cancelling, IReadOnlyList<RiskReasonView> Reasons, DateTime UpdatedAt);

/// <summary>Source-generated JSON (snake_case) for the at-risk list.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AtRiskView))]
internal sealed partial class AtRiskJsonContext : JsonSerializerContext;
