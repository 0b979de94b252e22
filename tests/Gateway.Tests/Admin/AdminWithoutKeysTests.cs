using System.Net;
using System.Text.Json.Nodes;
using Billing.Gateway.Tests.Infrastructure;

namespace Billing.Gateway.Tests.Admin;

/// <summary>The default stack: no <c>Gateway:ApiKeys</c> (no token asked, as the contract says), no outbound endpoint.</summary>
public sealed class AdminWithoutKeysTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task With_no_keys_configured_the_admin_routes_ask_for_no_token()
    {
        using var response = await fixture.Stack.Admin.GetAsync(new Uri("/admin/dead-letters?pending=true", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.IsType<JsonArray>(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Replaying_an_unknown_dead_letter_is_a_404()
    {
        using var response = await fixture.Stack.Admin.PostAsync(new Uri("/admin/dead-letters/42/replay", UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
