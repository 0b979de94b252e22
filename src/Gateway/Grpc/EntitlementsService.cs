using Billing.Gateway.History;
using Billing.Gateway.Caching;
using Billing.Grains.Customers;
using Billing.Grains.Journal;
using Billing.StripeEvents;
using Billing.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcAccessState = Billing.V1.AccessState;

namespace Billing.Gateway.Grpc;

/// <summary><c>billing.v1.Entitlements</c>: what a customer may use right now, for internal services.</summary>
public sealed class EntitlementsService(
    IClusterClient cluster,
    EntitlementsCache cache,
    EntitlementsAsOf asOf,
    IHostApplicationLifetime lifetime,
    ILogger<EntitlementsService> logger) : Entitlements.EntitlementsBase
{
    /// <inheritdoc/>
    public override async Task<V1.CustomerEntitlements> GetEntitlements(GetEntitlementsRequest request, ServerCallContext context)
    {
        if (request.AsOf is { } instant)
        {
            return ToMessage(await GetAsOfAsync(request.CustomerId, instant));
        }

        var entitlements = await GetAsync(request.CustomerId);
        return ToMessage(entitlements);
    }

    // From the journal, never the near-cache: "as Billing held them then".
    private async Task<Grains.Customers.CustomerEntitlements> GetAsOfAsync(string customerId, Timestamp instant)
    {
        ValidateCustomerId(customerId);
        var answer = await asOf.GetAsync(customerId, instant.ToDateTimeOffset());
        return answer.Problem switch
        {
            AsOfProblem.InTheFuture => throw new RpcException(new Status(StatusCode.InvalidArgument, "as_of is in the future")),
            AsOfProblem.OlderThanHistory => throw new RpcException(new Status(StatusCode.OutOfRange,
                "as_of is older than the history kept (Billing:Journal:Retention)")),
            _ => answer.Entitlements!,
        };
    }

    /// <inheritdoc/>
    public override async Task<CheckEntitlementResponse> CheckEntitlement(CheckEntitlementRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.Feature))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "feature is required"));
        }

        var entitlements = await GetAsync(request.CustomerId);
        return new CheckEntitlementResponse { Allowed = entitlements.Allows(request.Feature), Access = ToMessage(entitlements.Access) };
    }

    /// <inheritdoc/>
    public override async Task WatchEntitlements(WatchEntitlementsRequest request,
        IServerStreamWriter<V1.CustomerEntitlements> responseStream, ServerCallContext context)
    {
        ValidateCustomerId(request.CustomerId);

        // Ends cleanly when the caller cancels or the gateway shuts down.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        await using var watch = await EntitlementsWatch.StartAsync(cluster, request.CustomerId, logger);
        var sentVersion = -1L;
        try
        {
            await foreach (var entitlements in watch.Changes.ReadAllAsync(ending.Token))
            {
                // Renewals repeat the current state; only what is newer than what the caller has is news.
                if (entitlements.Version > sentVersion)
                {
                    await responseStream.WriteAsync(ToMessage(entitlements), ending.Token);
                    sentVersion = entitlements.Version;
                }
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
        }
    }

    private ValueTask<Grains.Customers.CustomerEntitlements> GetAsync(string customerId)
    {
        ValidateCustomerId(customerId);
        return cache.GetAsync(customerId);
    }

    /// <summary>The contract's check of a customer id: 1 to 255 characters, else <c>INVALID_ARGUMENT</c>.</summary>
    public static void ValidateCustomerId(string customerId)
    {
        if (string.IsNullOrEmpty(customerId) || customerId.Length > StripeEnvelopeReader.MaxIdLength)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"customer_id must be 1 to {StripeEnvelopeReader.MaxIdLength} characters"));
        }
    }

    /// <summary>The wire form of a customer's entitlements.</summary>
    public static V1.CustomerEntitlements ToMessage(Grains.Customers.CustomerEntitlements entitlements)
    {
        ArgumentNullException.ThrowIfNull(entitlements);
        var message = new V1.CustomerEntitlements
        {
            CustomerId = entitlements.CustomerId,
            Access = ToMessage(entitlements.Access),
            Version = entitlements.Version,
            UpdatedAt = Timestamp.FromDateTimeOffset(entitlements.UpdatedAt),
        };
        message.Features.AddRange(entitlements.Features);
        return message;
    }

    private static GrpcAccessState ToMessage(Grains.Customers.AccessState access) => access switch
    {
        Grains.Customers.AccessState.None => GrpcAccessState.None,
        Grains.Customers.AccessState.Active => GrpcAccessState.Active,
        Grains.Customers.AccessState.Grace => GrpcAccessState.Grace,
        Grains.Customers.AccessState.Suspended => GrpcAccessState.Suspended,
        _ => GrpcAccessState.Unspecified,
    };
}
