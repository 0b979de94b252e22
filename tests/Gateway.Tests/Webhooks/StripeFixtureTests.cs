using System.Net;
using System.Text.Json;
using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.Testing.Stripe;

namespace Billing.Gateway.Tests.Webhooks;

/// <summary>Real Stripe payloads of many API versions (and none) are all accepted.</summary>
public sealed class StripeFixtureTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly string[] AcceptedStatuses = ["applied", "ignored"];

    public static TheoryData<string> Fixtures() => [.. StripeFixtures.Files.Select(file => Path.GetFileName(file))];

    [StripeFixtureTheory]
    [MemberData(nameof(Fixtures))]
    public async Task Every_shared_fixture_is_accepted_with_200(string fileName)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(StripeFixtures.Directory, fileName));
        var body = StripeEventJson.WithIds(json, StripeEventJson.NewEventId(), StripeEventJson.NewCustomerId());

        using var response = await fixture.Stack.Webhooks.SendAsync(body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{fileName}: {(int)response.StatusCode} {text}");
        using var answer = JsonDocument.Parse(text);
        Assert.Contains(answer.RootElement.GetProperty("status").GetString(), AcceptedStatuses);
    }

    [StripeFixtureFact]
    public async Task The_fixtures_that_billing_uses_are_applied_and_the_rest_ignored()
    {
        var statuses = new Dictionary<string, string>();
        foreach (var file in StripeFixtures.Files)
        {
            var body = StripeEventJson.WithIds(await File.ReadAllTextAsync(file), StripeEventJson.NewEventId(), StripeEventJson.NewCustomerId());
            statuses[Path.GetFileName(file)] = await fixture.Stack.Webhooks.ApplyAsync(body);
        }

        Assert.Equal("applied", statuses["syncengine__customer.subscription.updated.json"]);
        Assert.Equal("applied", statuses["rubymock__customer.subscription.trial_will_end.json"]);
        Assert.Equal("applied", statuses["rubymock__invoice.payment_failed.json"]);
        Assert.Equal("applied", statuses["syncengine__entitlements.active_entitlement_summary.updated.json"]);
        Assert.Equal("applied", statuses["rubymock__customer.deleted.json"]);
        Assert.Equal("applied", statuses["rubymock__charge.refunded.json"]); // a churn-risk signal of its customer
        Assert.Equal("ignored", statuses["rubymock__charge.dispute.created.json"]); // names only its charge: no customer
        Assert.Equal("ignored", statuses["rubymock__customer.created.json"]);
        Assert.Equal("ignored", statuses["rubymock__charge.dispute.closed.json"]);
    }
}
