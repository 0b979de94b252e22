using System.Net;
using System.Net.Http.Headers;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Testing.Postgres;
using Billing.V1;
using Grpc.Core;

namespace Billing.Gateway.Tests.Admin;

/// <summary>
/// The admin surface lives on its own endpoint, and operators' keys are not callers' keys: a real gateway on three
/// Kestrel ports with both <c>Gateway:ApiKeys</c> and <c>Gateway:AdminApiKeys</c> set.
/// </summary>
public sealed class AdminSurfaceTests(AdminSurfaceTests.Fixture fixture) : IClassFixture<AdminSurfaceTests.Fixture>
{
    private const string CallerKey = "caller-key-0123456789";
    private const string OperatorKey = "operator-key-0123456789";

    [Theory]
    [InlineData("GET", "/admin/dead-letters")]
    [InlineData("GET", "/admin/customers/cus_surface")]
    [InlineData("GET", "/admin/stripe/jobs")]
    [InlineData("POST", "/admin/dead-letters/1/replay")]
    [InlineData("GET", "/console")]
    [InlineData("GET", "/console/sign-in")]
    [InlineData("GET", "/console/orleans")]
    [InlineData("GET", "/ADMIN/dead-letters")]
    public async Task The_webhook_endpoint_answers_404_for_the_admin_surface_even_with_an_operator_key(string method, string path)
    {
        using var response = await SendAsync(fixture.Stack.Http, method, path, OperatorKey);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_webhook_endpoint_serves_the_webhook_and_probes_only()
    {
        using (var ready = await fixture.Stack.Http.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        using (var unsigned = await fixture.Stack.Http.PostAsync(new Uri("/stripe/webhook", UriKind.Relative), new StringContent("{}")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode); // reached the webhook, which refused the signature
        }

        using var other = await fixture.Stack.Http.GetAsync(new Uri("/grpc.reflection.v1alpha.ServerReflection", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task The_admin_endpoint_serves_admin_routes_to_operators_only()
    {
        using (var withOperatorKey = await SendAsync(fixture.Stack.Admin, "GET", "/admin/customers/cus_surface", OperatorKey))
        {
            Assert.Equal(HttpStatusCode.OK, withOperatorKey.StatusCode);
        }

        using (var withCallerKey = await SendAsync(fixture.Stack.Admin, "GET", "/admin/customers/cus_surface", CallerKey))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withCallerKey.StatusCode);
        }

        using var without = await SendAsync(fixture.Stack.Admin, "GET", "/admin/customers/cus_surface", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
    }

    [Fact]
    public async Task An_operator_key_does_not_open_grpc_and_a_caller_key_does()
    {
        var request = new CheckEntitlementRequest { CustomerId = "cus_surface", Feature = "x" };
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Stack.Entitlements.CheckEntitlementAsync(request, new Metadata { { "authorization", $"Bearer {OperatorKey}" } }));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);

        var answer = await fixture.Stack.Entitlements.CheckEntitlementAsync(request, new Metadata { { "authorization", $"Bearer {CallerKey}" } });
        Assert.False(answer.Allowed);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path, string? key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await http.SendAsync(request);
    }

    /// <summary>A stack with callers' and operators' keys.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private TestDatabase? _database;
        private BillingStack? _stack;

        public BillingStack Stack => _stack ?? throw new InvalidOperationException("The stack is not started.");

        public async Task InitializeAsync()
        {
            _database = await TestDatabase.CreateAsync("surface");
            _stack = await BillingStack.StartAsync(_database, new Dictionary<string, string?>
            {
                ["Gateway:ApiKeys:0"] = CallerKey,
                ["Gateway:AdminApiKeys:0"] = OperatorKey,
            });
        }

        public async Task DisposeAsync()
        {
            if (_stack is not null)
            {
                await _stack.DisposeAsync();
            }

            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }
}
