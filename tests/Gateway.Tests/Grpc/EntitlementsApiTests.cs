using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace Billing.Gateway.Tests.Grpc;

/// <summary><c>billing.v1.Entitlements</c> through a real gRPC channel.</summary>
public sealed class EntitlementsApiTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private BillingStack Stack => fixture.Stack;

    [Fact]
    public async Task A_customer_never_seen_has_no_access_and_version_zero()
    {
        var entitlements = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = "cus_never_seen" });

        Assert.Equal("cus_never_seen", entitlements.CustomerId);
        Assert.Equal(AccessState.None, entitlements.Access);
        Assert.Empty(entitlements.Features);
        Assert.Equal(0, entitlements.Version);
    }

    [Fact]
    public async Task Entitlements_follow_the_applied_events()
    {
        var customerId = StripeEventJson.NewCustomerId();
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now, metadataFeatures: "api, sso"));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_2", "active", Now, priceId: "price_team", lookupKey: "team_monthly"));

        var entitlements = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });

        Assert.Equal(AccessState.Active, entitlements.Access);
        Assert.Equal(["api", "exports", "reports", "seats", "sso"], entitlements.Features);
        Assert.Equal(2, entitlements.Version);
        Assert.True(entitlements.UpdatedAt.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task CheckEntitlement_allows_a_granted_feature_and_denies_another()
    {
        var customerId = StripeEventJson.NewCustomerId();
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now));

        var granted = await Stack.Entitlements.CheckEntitlementAsync(new CheckEntitlementRequest { CustomerId = customerId, Feature = "reports" });
        var denied = await Stack.Entitlements.CheckEntitlementAsync(new CheckEntitlementRequest { CustomerId = customerId, Feature = "sso" });

        Assert.True(granted.Allowed);
        Assert.Equal(AccessState.Active, granted.Access);
        Assert.False(denied.Allowed);
    }

    [Fact]
    public async Task CheckEntitlement_denies_everything_while_suspended()
    {
        var customerId = StripeEventJson.NewCustomerId();
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "unpaid", Now));

        var check = await Stack.Entitlements.CheckEntitlementAsync(new CheckEntitlementRequest { CustomerId = customerId, Feature = "reports" });

        Assert.False(check.Allowed);
        Assert.Equal(AccessState.Suspended, check.Access);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task An_empty_customer_id_is_invalid(string? customerId)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId ?? string.Empty }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task A_customer_id_over_255_characters_is_invalid()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Stack.Entitlements.CheckEntitlementAsync(new CheckEntitlementRequest { CustomerId = new string('c', 256), Feature = "x" }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);

        var atLimit = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = new string('c', 255) });
        Assert.Equal(AccessState.None, atLimit.Access);
    }

    [Fact]
    public async Task Health_checking_reports_serving()
    {
        var health = new Health.HealthClient(Stack.GrpcChannel);
        var response = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_entitlements_service()
    {
        var reflection = new ServerReflection.ServerReflectionClient(Stack.GrpcChannel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name);
        Assert.Contains("billing.v1.Entitlements", services);
    }
}
