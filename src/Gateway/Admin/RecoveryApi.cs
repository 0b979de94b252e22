using System.Text.Json;
using Billing.Grains.Customers;
using Billing.Grains.Recovery;
using Billing.StripeEvents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Gateway.Admin;

/// <summary>
/// Recovery from Stripe's API (the silos do the work; ADR 0009): start an import, a backfill or a reconciliation,
/// follow the jobs, read the drift, and replay one journaled event of a customer.
/// </summary>
public static class RecoveryApi
{
    /// <summary>Maps the recovery routes under <c>/admin</c>.</summary>
    public static IEndpointRouteBuilder MapRecoveryApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var admin = routes.MapGroup(AdminApi.RoutePrefix)
            .AddEndpointFilter<ApiKeyEndpointFilter>()
            .DisableAntiforgery();
        admin.MapPost("/stripe/import", (IClusterClient cluster) => StartAsync(cluster, SyncKinds.Import, null)).WithName("StartImport");
        admin.MapPost("/stripe/backfill", BackfillAsync).WithName("StartBackfill");
        admin.MapPost("/stripe/reconcile", (IClusterClient cluster) => StartAsync(cluster, SyncKinds.Reconcile, null)).WithName("StartReconcile");
        admin.MapGet("/stripe/jobs", ListJobsAsync).WithName("ListRecoveryJobs");
        admin.MapGet("/drift", GetDriftAsync).WithName("GetDrift");
        admin.MapPost("/customers/{id}/events/{eventId}/replay", ReplayAsync).WithName("ReplayCustomerEvent");
        return routes;
    }

    /// <summary><c>{"since": "&lt;RFC 3339&gt;"}</c>, at most 30 days back.</summary>
    internal static async Task<IResult> BackfillAsync(HttpRequest request, IClusterClient cluster)
    {
        BackfillRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync(AdminJsonContext.Default.BackfillRequest, request.HttpContext.RequestAborted);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return Error(StatusCodes.Status400BadRequest, "bad_request", "the body must be JSON: {\"since\": \"<RFC 3339 time>\"}");
        }

        return body?.Since is { } since
            ? await StartAsync(cluster, SyncKinds.Backfill, since)
            : Error(StatusCodes.Status400BadRequest, "bad_request", "since is required: {\"since\": \"<RFC 3339 time>\"}");
    }

    private static async Task<IResult> StartAsync(IClusterClient cluster, string kind, DateTimeOffset? since)
    {
        var start = await cluster.GetGrain<IStripeSyncGrain>(kind).StartAsync(since);
        return start switch
        {
            { Error: StripeSyncGrainErrors.NotConfigured } => Error(StatusCodes.Status400BadRequest, StripeSyncGrainErrors.NotConfigured,
                "Stripe:ApiKey is not set on the silos: Stripe's API cannot be read"),
            { Error: StripeSyncGrainErrors.SinceOutOfRange } => Error(StatusCodes.Status400BadRequest, "bad_request",
                "since must be in the past and at most 30 days back (Stripe's Events API keeps 30 days; older changes are repaired by reconciliation)"),
            { Job: { } job, Started: true } => TypedResults.Json(JobView.From(job), AdminJsonContext.Default.JobView, statusCode: StatusCodes.Status202Accepted),
            { Job: { } running } => TypedResults.Json(JobView.From(running), AdminJsonContext.Default.JobView, statusCode: StatusCodes.Status409Conflict),
            _ => Error(StatusCodes.Status409Conflict, "conflict", $"a {kind} job was starting elsewhere; list the jobs"),
        };
    }

    internal static async Task<JsonHttpResult<JobsView>> ListJobsAsync(RecoveryQueries recovery) =>
        TypedResults.Json(await recovery.ListJobsAsync(), AdminJsonContext.Default.JobsView);

    internal static async Task<JsonHttpResult<DriftView>> GetDriftAsync(RecoveryQueries recovery) =>
        TypedResults.Json(await recovery.GetDriftAsync(), AdminJsonContext.Default.DriftView);

    /// <summary>200 with the entitlements after the replay; 404 when the customer's journal holds no Stripe event of that id.</summary>
    internal static async Task<IResult> ReplayAsync(string id, string eventId, IClusterClient cluster)
    {
        id = Uri.UnescapeDataString(id);
        if (id.Length is 0 or > StripeEnvelopeReader.MaxIdLength || eventId.Length is 0 or > StripeEnvelopeReader.MaxIdLength)
        {
            return Error(StatusCodes.Status400BadRequest, "bad_request", $"ids must be 1 to {StripeEnvelopeReader.MaxIdLength} characters");
        }

        if (await cluster.GetGrain<ICustomerGrain>(id).ReplayAsync(eventId) is not { } result)
        {
            return Error(StatusCodes.Status404NotFound, "not_found", "the customer's history holds no Stripe event of that id");
        }

        var after = result.Entitlements;
        return TypedResults.Json(new EventReplayView(eventId, "applied",
                new EntitlementsAfterView(CustomerView.AccessName(after.Access), after.Features, after.Version)),
            AdminJsonContext.Default.EventReplayView);
    }

    private static JsonHttpResult<AdminError> Error(int status, string error, string message) =>
        TypedResults.Json(new AdminError(error, message), AdminJsonContext.Default.AdminError, statusCode: status);
}
