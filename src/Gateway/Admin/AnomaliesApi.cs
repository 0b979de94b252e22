using Billing.Grains.Anomalies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Gateway.Admin;

/// <summary>
/// <c>/admin/anomalies</c>: surges the silos' detectors found in each account's event flow (ADR 0012), to list,
/// acknowledge and resolve.
/// </summary>
public static class AnomaliesApi
{
    /// <summary>The most one list returns.</summary>
    public const int MaxLimit = 500;

    /// <summary>Maps <c>GET /admin/anomalies</c>, <c>GET /admin/anomalies/{id}</c>, and <c>POST …/{id}/acknowledge</c> and <c>…/resolve</c>.</summary>
    public static IEndpointRouteBuilder MapAnomaliesApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var anomalies = routes.MapGroup($"{AdminApi.RoutePrefix}/anomalies")
            .AddEndpointFilter<ApiKeyEndpointFilter>()
            .DisableAntiforgery();
        anomalies.MapGet(string.Empty, ListAsync).WithName("ListAnomalies");
        anomalies.MapGet("/{id}", GetAsync).WithName("GetAnomaly");
        anomalies.MapPost("/{id}/acknowledge", (string id, IClusterClient cluster) =>
            AnswerAsync(id, Queries(cluster).AcknowledgeAsync(id))).WithName("AcknowledgeAnomaly");
        anomalies.MapPost("/{id}/resolve", (string id, IClusterClient cluster) =>
            AnswerAsync(id, Queries(cluster).ResolveAsync(id))).WithName("ResolveAnomaly");
        return routes;
    }

    /// <summary><c>GET /admin/anomalies?state=open|acknowledged|resolved&amp;limit=100</c>.</summary>
    internal static async Task<IResult> ListAsync(IClusterClient cluster, string? state, int? limit)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Error(StatusCodes.Status400BadRequest, "bad_request", $"limit must be between 1 and {MaxLimit}");
        }

        AnomalyState? wanted = null;
        if (state is { Length: > 0 })
        {
            wanted = AnomalyStateNames.Parse(state);
            if (wanted is null)
            {
                return Error(StatusCodes.Status400BadRequest, "bad_request", "state must be open, acknowledged or resolved");
            }
        }

        var anomalies = await Queries(cluster).ListAsync(limit ?? 100, wanted);
        return TypedResults.Json(new AnomaliesView([.. anomalies.Select(AnomalyView.From)]), AdminJsonContext.Default.AnomaliesView);
    }

    private static Task<IResult> GetAsync(string id, IClusterClient cluster) => AnswerAsync(id, Queries(cluster).GetAsync(id));

    private static async Task<IResult> AnswerAsync(string id, Task<Anomaly?> pending) =>
        await pending is { } anomaly
            ? TypedResults.Json(AnomalyView.From(anomaly), AdminJsonContext.Default.AnomalyView)
            : Error(StatusCodes.Status404NotFound, "not_found", $"there is no anomaly {id}");

    // Any silo answers: the queries grain is a stateless worker in front of the store.
    private static IAnomalyQueriesGrain Queries(IClusterClient cluster) => cluster.GetGrain<IAnomalyQueriesGrain>(0);

    private static JsonHttpResult<AdminError> Error(int statusCode, string error, string message) =>
        TypedResults.Json(new AdminError(error, message), AdminJsonContext.Default.AdminError, statusCode: statusCode);
}
