using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Outbound;
using Stripe;

namespace Billing.Gateway.Tests.Admin;

/// <summary>
/// The admin routes through the real gateway on Kestrel, over real HTTP: dead letters made by the real delivery
/// pipeline (a receiver answering 404) and stored in the stack's PostgreSQL database, listed, read and replayed.
/// </summary>
public sealed class DeadLetterAdminTests(AdminStackFixture fixture) : IClassFixture<AdminStackFixture>
{
    private HttpClient Http => fixture.Stack.Admin;

    [Fact]
    public async Task The_list_shows_a_customers_dead_letters_newest_first_without_bodies()
    {
        var customer = NewCustomer();
        var first = await DeadLetterAsync(customer, version: 1);
        var second = await DeadLetterAsync(customer, version: 2);

        using var response = await SendAsync(HttpMethod.Get, $"/admin/dead-letters?customer={customer}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal([second, first], list.Select(item => (string)item!["message_id"]!));
        var newest = list[0]!.AsObject();
        Assert.Equal(
            ["id", "message_id", "message_type", "target", "customer_id", "endpoint", "status_code", "error", "created_at", "replayed_at",
                "replay_status_code", "purged_at"],
            newest.Select(property => property.Key));
        Assert.Equal("entitlements.changed", (string)newest["message_type"]!);
        Assert.Equal("fulfillment", (string)newest["target"]!);
        Assert.Equal(customer, (string)newest["customer_id"]!);
        // The endpoint's scheme and host only: its path (or query) may carry the receiver's token.
        Assert.Equal(fixture.Receiver.BaseAddress.GetLeftPart(UriPartial.Authority), (string)newest["endpoint"]!);
        Assert.DoesNotContain(AdminStackFixture.FulfillmentPath, list.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(newest["purged_at"]);
        Assert.Equal(404, (int)newest["status_code"]!);
        Assert.StartsWith("HTTP 404", (string)newest["error"]!, StringComparison.Ordinal);
        Assert.Null(newest["replayed_at"]);
    }

    [Fact]
    public async Task The_list_pages_with_limit_and_before()
    {
        var customer = NewCustomer();
        for (var version = 1; version <= 3; version++)
        {
            await DeadLetterAsync(customer, version);
        }

        var firstPage = await ListAsync($"?customer={customer}&limit=2");
        var secondPage = await ListAsync($"?customer={customer}&limit=2&before={(long)firstPage[^1]!["id"]!}");

        Assert.Equal([$"{customer}:3", $"{customer}:2"], firstPage.Select(item => (string)item!["message_id"]!));
        Assert.Equal([$"{customer}:1"], secondPage.Select(item => (string)item!["message_id"]!));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    public async Task A_page_size_out_of_bounds_is_a_400(string query)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/admin/dead-letters?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task One_dead_letter_comes_with_the_body_that_was_sent()
    {
        var customer = NewCustomer();
        var messageId = await DeadLetterAsync(customer, version: 5);
        var id = await IdOfAsync(customer, messageId);

        using var response = await SendAsync(HttpMethod.Get, $"/admin/dead-letters/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var deadLetter = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(id, (long)deadLetter["id"]!);
        Assert.Equal(messageId, (string)deadLetter["message_id"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Body(customer, 5)), deadLetter["body"]));
        Assert.Equal(fixture.Receiver.BaseAddress.GetLeftPart(UriPartial.Authority), (string)deadLetter["endpoint"]!);
    }

    [Fact]
    public async Task A_replay_to_the_now_healthy_endpoint_delivers_it_freshly_signed_and_marks_it_replayed()
    {
        var customer = NewCustomer();
        var messageId = await DeadLetterAsync(customer, version: 3);
        var id = await IdOfAsync(customer, messageId);
        fixture.Receiver.Script(AdminStackFixture.FulfillmentPath, 200);
        var requestsBefore = fixture.Receiver.Received.Count;

        using var response = await SendAsync(HttpMethod.Post, $"/admin/dead-letters/{id}/replay");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("delivered", (string)answer["status"]!);
        Assert.Equal(200, (int)answer["status_code"]!);
        Assert.NotNull(answer["replayed_at"]);

        var replayed = Assert.Single(fixture.Receiver.Received.Skip(requestsBefore));
        Assert.Equal(messageId, replayed.MessageId);
        Assert.Equal(Body(customer, 3), replayed.BodyText);
        EventUtility.ValidateSignature(replayed.BodyText, replayed.Signature, AdminStackFixture.SigningSecret, tolerance: 300);

        using var detail = await SendAsync(HttpMethod.Get, $"/admin/dead-letters/{id}");
        var stored = JsonNode.Parse(await detail.Content.ReadAsStringAsync())!;
        Assert.NotNull(stored["replayed_at"]);
        Assert.Equal(200, (int)stored["replay_status_code"]!);
        var pending = await ListAsync($"?customer={customer}&pending=true");
        Assert.Empty(pending);
        Assert.Single(await ListAsync($"?customer={customer}"));
    }

    [Fact]
    public async Task A_replay_to_an_endpoint_that_still_refuses_is_a_502_and_stays_pending()
    {
        var customer = NewCustomer();
        var id = await IdOfAsync(customer, await DeadLetterAsync(customer, version: 1));
        fixture.Receiver.Script(AdminStackFixture.FulfillmentPath, 410);

        using var response = await SendAsync(HttpMethod.Post, $"/admin/dead-letters/{id}/replay");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("rejected", (string)answer["status"]!);
        Assert.Equal(410, (int)answer["status_code"]!);
        Assert.StartsWith("HTTP 410", (string)answer["error"]!, StringComparison.Ordinal);
        Assert.Single(await ListAsync($"?customer={customer}&pending=true"));
    }

    [Theory]
    [InlineData("GET", "/admin/dead-letters/999999999")]
    [InlineData("POST", "/admin/dead-letters/999999999/replay")]
    public async Task An_unknown_dead_letter_is_a_404(string method, string path)
    {
        using var response = await SendAsync(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!);
    }

    [Theory]
    [InlineData("GET", "/admin/dead-letters", null)]
    [InlineData("GET", "/admin/dead-letters", "Bearer wrong-key")]
    [InlineData("GET", "/admin/dead-letters", AdminStackFixture.ApiKey)]
    [InlineData("GET", "/admin/dead-letters", "Basic " + AdminStackFixture.ApiKey)]
    [InlineData("GET", "/admin/dead-letters/1", null)]
    [InlineData("GET", "/admin/dead-letters/1", "Bearer wrong-key")]
    [InlineData("POST", "/admin/dead-letters/1/replay", null)]
    [InlineData("POST", "/admin/dead-letters/1/replay", "Bearer wrong-key")]
    public async Task Without_a_valid_bearer_key_every_admin_route_is_a_401_asking_for_a_bearer_token(string method, string path, string? authorization)
    {
        var requestsBefore = fixture.Receiver.Received.Count;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(requestsBefore, fixture.Receiver.Received.Count);
    }

    [Fact]
    public async Task Any_configured_key_is_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/dead-letters", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "admin-key-next");

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string NewCustomer() => $"cus_adm_{Guid.NewGuid():N}"[..24];

    private static string Body(string customer, long version) => new JsonObject
    {
        ["id"] = $"{customer}:{version}",
        ["type"] = "entitlements.changed",
        ["customer_id"] = customer,
        ["created"] = 1763900000,
        ["data"] = new JsonObject
        {
            ["access"] = "ACTIVE",
            ["features"] = new JsonArray("reports"),
            ["version"] = version,
            ["previous"] = new JsonObject { ["access"] = "NONE", ["features"] = new JsonArray(), ["version"] = version - 1 },
        },
    }.ToJsonString();

    /// <summary>Delivers a message through the gateway's own pipeline to the receiver answering 404: a dead letter.</summary>
    private async Task<string> DeadLetterAsync(string customer, long version)
    {
        fixture.Receiver.Script(AdminStackFixture.FulfillmentPath, 404);
        var messageId = $"{customer}:{version}";
        var outcome = await fixture.Delivery.DeliverAsync(OutboundTarget.Fulfillment, messageId, "entitlements.changed", customer,
            Encoding.UTF8.GetBytes(Body(customer, version)));
        Assert.Equal(DeliveryOutcome.DeadLettered, outcome);
        return messageId;
    }

    private async Task<long> IdOfAsync(string customer, string messageId) =>
        (long)(await ListAsync($"?customer={customer}")).Single(item => (string)item!["message_id"]! == messageId)!["id"]!;

    private async Task<JsonArray> ListAsync(string query)
    {
        using var response = await SendAsync(HttpMethod.Get, "/admin/dead-letters" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminStackFixture.ApiKey);
        return await Http.SendAsync(request);
    }
}
