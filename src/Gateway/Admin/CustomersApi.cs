using Billing.Gateway.Grpc;
using Billing.Gateway.History;
using Billing.Grains.Customers;
using Billing.Grains.Journal;
using Billing.StripeEvents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Gateway.Admin;

/// <summary>
/// <c>/admin/customers</c>: what operators ask about one customer, "what can they use, and why": the entitlements and
/// subscriptions now, and the history of applied events with what each changed. A Connect customer's id is
/// URL-encoded (<c>acct_1%2Fcus_2</c>).
/// </summary>
public static class CustomersApi
{
    /// <summary>Maps <c>GET /admin/customers/{id}</c> and <c>GET /admin/customers/{id}/events</c>.</summary>
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var customers = routes.MapGroup($"{AdminApi.RoutePrefix}/customers")
            .AddEndpointFilter<ApiKeyEndpointFilter>()
            .DisableAntiforgery();
        customers.MapGet("/{id}", GetAsync).WithName("GetCustomer");
        customers.MapGet("/{id}/events", ListEventsAsync).WithName("ListCustomerEvents");
        return routes;
    }

    /// <summary>A customer never seen is <c>NONE</c>, version 0, with no subscriptions: an answer, not a 404.</summary>
    internal static async Task<Results<JsonHttpResult<CustomerView>, JsonHttpResult<AdminError>>> GetAsync(string id, CustomerQueries customers)
    {
        id = Decoded(id);
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        return TypedResults.Json(await customers.GetAsync(id), AdminJsonContext.Default.CustomerView);
    }

    /// <summary><c>?page_size=1..500</c> (default 100) and <c>&amp;page_token=</c> from the previous page.</summary>
    internal static async Task<Results<JsonHttpResult<CustomerEventsView>, JsonHttpResult<AdminError>>> ListEventsAsync(
        string id, CustomerQueries customers, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page_size")] int? pageSize,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page_token")] string? pageToken)
    {
        id = Decoded(id);
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var size = pageSize ?? HistoryService.DefaultPageSize;
        if (size is < 1 or > HistoryService.MaxPageSize)
        {
            return BadRequest($"page_size must be between 1 and {HistoryService.MaxPageSize}");
        }

        if (HistoryPageToken.Decode(id, pageToken) is not { } after)
        {
            return BadRequest("page_token was not issued by this server for this customer");
        }

        var page = await customers.ListHistoryAsync(id, after, size);
        return TypedResults.Json(CustomerEventsView.From(id, page), AdminJsonContext.Default.CustomerEventsView);
    }

    // ASP.NET Core leaves %2F encoded in a route value (it would otherwise split the path): acct_1%2Fcus_2 is acct_1/cus_2.
    private static string Decoded(string id) => Uri.UnescapeDataString(id);

    private static JsonHttpResult<AdminError>? InvalidId(string id) =>
        id.Length is 0 or > StripeEnvelopeReader.MaxIdLength
            ? BadRequest($"the customer id must be 1 to {StripeEnvelopeReader.MaxIdLength} characters")
            : null;

    private static JsonHttpResult<AdminError> BadRequest(string message) =>
        TypedResults.Json(new AdminError("bad_request", message), AdminJsonContext.Default.AdminError,
            statusCode: StatusCodes.Status400BadRequest);
}
