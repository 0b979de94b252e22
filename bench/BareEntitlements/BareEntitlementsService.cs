using Billing.V1;
using Grpc.Core;

namespace Billing.Bench.BareEntitlements;

/// <summary>The contract's service answered from <see cref="EntitlementTable"/>.</summary>
public sealed class BareEntitlementsService(EntitlementTable table) : Entitlements.EntitlementsBase
{
    /// <inheritdoc/>
    public override Task<CustomerEntitlements> GetEntitlements(GetEntitlementsRequest request, ServerCallContext context) =>
        Task.FromResult(table.Get(Validated(request.CustomerId)));

    /// <inheritdoc/>
    public override Task<CheckEntitlementResponse> CheckEntitlement(CheckEntitlementRequest request, ServerCallContext context)
    {
        var entitlements = table.Get(Validated(request.CustomerId));
        return Task.FromResult(new CheckEntitlementResponse
        {
            Allowed = entitlements.Features.Contains(request.Feature),
            Access = entitlements.Access,
        });
    }

    /// <inheritdoc/>
    public override async Task WatchEntitlements(WatchEntitlementsRequest request,
        IServerStreamWriter<CustomerEntitlements> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        await responseStream.WriteAsync(table.Get(Validated(request.CustomerId)));
        // Nothing ever changes here: hold the stream open until the caller cancels, as the contract says.
        await Task.Delay(Timeout.Infinite, context.CancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    // The same validation the gateway applies, so both servers do the same work per call.
    private static string Validated(string customerId) =>
        customerId is { Length: > 0 and <= 255 }
            ? customerId
            : throw new RpcException(new Status(StatusCode.InvalidArgument, "customer_id must be 1 to 255 characters"));
}
