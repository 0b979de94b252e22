using Billing.Gateway.Tests.Infrastructure;
using Billing.Testing.Postgres;
using Billing.V1;
using Grpc.Core;
using Grpc.Health.V1;

namespace Billing.Gateway.Tests.Grpc;

/// <summary>With <c>Gateway:ApiKeys</c> set, internal callers must present one of the keys.</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private BillingStack? _stack;

    private BillingStack Stack => _stack!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("apikeys");
        _stack = await BillingStack.StartAsync(_database, new Dictionary<string, string?>
        {
            ["Gateway:ApiKeys:0"] = "key-current",
            ["Gateway:ApiKeys:1"] = "key-next",
        });
    }

    public async Task DisposeAsync()
    {
        await _stack!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("key-current")]
    [InlineData("Basic key-current")]
    public async Task A_call_without_a_valid_bearer_key_is_unauthenticated(string? authorization)
    {
        var headers = new Metadata();
        if (authorization is not null)
        {
            headers.Add("authorization", authorization);
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = "cus_1" }, headers));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Theory]
    [InlineData("Bearer key-current")]
    [InlineData("Bearer key-next")]
    public async Task A_call_with_any_configured_key_is_answered(string authorization)
    {
        var response = await Stack.Entitlements.CheckEntitlementAsync(
            new CheckEntitlementRequest { CustomerId = "cus_1", Feature = "x" }, new Metadata { { "authorization", authorization } });
        Assert.False(response.Allowed);
    }

    [Fact]
    public async Task Health_checks_need_no_key()
    {
        var response = await new Health.HealthClient(Stack.GrpcChannel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }
}
