using Billing.Outbound;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Gateway.Admin;

/// <summary>
/// <c>/admin</c>: the dead letters of outbound deliveries, to list, inspect and replay. Every route needs
/// <c>Authorization: Bearer &lt;key&gt;</c> with one of <c>Gateway:ApiKeys</c> (none when that is empty), else 401.
/// </summary>
public static class AdminApi
{
    /// <summary>Where the admin routes live.</summary>
    public const string RoutePrefix = "/admin";

    /// <summary>Maps <c>GET /admin/dead-letters</c>, <c>GET /admin/dead-letters/{id}</c> and <c>POST /admin/dead-letters/{id}/replay</c>.</summary>
    public static IEndpointRouteBuilder MapAdminRoutes(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var deadLetters = routes.MapGroup($"{RoutePrefix}/dead-letters")
            .AddEndpointFilter<ApiKeyEndpointFilter>()
            .DisableAntiforgery();
        deadLetters.MapGet(string.Empty, ListAsync).WithName("ListDeadLetters");
        deadLetters.MapGet("/{id:long}", GetAsync).WithName("GetDeadLetter");
        deadLetters.MapPost("/{id:long}/replay", ReplayAsync).WithName("ReplayDeadLetter");
        return routes;
    }

    /// <summary><c>GET /admin/dead-letters?limit=50&amp;before=&lt;id&gt;&amp;pending=true&amp;customer=&lt;id&gt;</c>: newest first, without bodies.</summary>
    internal static async Task<Results<JsonHttpResult<DeadLetterView[]>, JsonHttpResult<AdminError>>> ListAsync(
        DeadLetterOperations deadLetters, int? limit, long? before, bool? pending, string? customer, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > DeadLetterQuery.MaxLimit)
        {
            return BadRequest($"limit must be between 1 and {DeadLetterQuery.MaxLimit}");
        }

        var page = await deadLetters.ListAsync(
            new DeadLetterQuery(limit ?? DeadLetterQuery.DefaultLimit, before, pending ?? false, customer is { Length: > 0 } ? customer : null),
            cancellationToken);
        return TypedResults.Json(page.Select(d => DeadLetterView.From(d)).ToArray(), AdminJsonContext.Default.DeadLetterViewArray);
    }

    /// <summary><c>GET /admin/dead-letters/{id}</c>: one dead letter with its body.</summary>
    internal static async Task<Results<JsonHttpResult<DeadLetterView>, JsonHttpResult<AdminError>>> GetAsync(
        long id, DeadLetterOperations deadLetters, CancellationToken cancellationToken) =>
        await deadLetters.GetAsync(id, cancellationToken) is { } deadLetter
            ? TypedResults.Json(DeadLetterView.From(deadLetter, withBody: true), AdminJsonContext.Default.DeadLetterView)
            : NotFound(id);

    /// <summary>
    /// <c>POST /admin/dead-letters/{id}/replay</c>: the stored body, freshly signed, to the stored endpoint, once.
    /// 200 when the endpoint answered 2xx (the dead letter is marked replayed); 502 when it answered otherwise or not at
    /// all; 503 when the gateway has no signing secret; 410 when the dead letter was purged after its retention (its
    /// endpoint's path is gone: nothing is sent); 404 for an unknown id.
    /// </summary>
    internal static async Task<Results<JsonHttpResult<ReplayAnswer>, JsonHttpResult<AdminError>>> ReplayAsync(
        long id, DeadLetterOperations deadLetters, CancellationToken cancellationToken)
    {
        if (await deadLetters.ReplayAsync(id, cancellationToken) is not { } result)
        {
            return NotFound(id);
        }

        var statusCode = result.Status switch
        {
            ReplayStatus.Delivered => StatusCodes.Status200OK,
            ReplayStatus.NotSigned => StatusCodes.Status503ServiceUnavailable,
            ReplayStatus.Purged => StatusCodes.Status410Gone,
            _ => StatusCodes.Status502BadGateway,
        };
        return TypedResults.Json(ReplayAnswer.From(result), AdminJsonContext.Default.ReplayAnswer, statusCode: statusCode);
    }

    private static JsonHttpResult<AdminError> BadRequest(string message) =>
        TypedResults.Json(new AdminError("bad_request", message), AdminJsonContext.Default.AdminError,
            statusCode: StatusCodes.Status400BadRequest);

    private static JsonHttpResult<AdminError> NotFound(long id) =>
        TypedResults.Json(new AdminError("not_found", $"there is no dead letter {id}"), AdminJsonContext.Default.AdminError,
            statusCode: StatusCodes.Status404NotFound);
}
