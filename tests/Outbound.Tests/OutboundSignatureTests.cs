using System.Text;
using Stripe;

namespace Billing.Outbound.Tests;

/// <summary>The signature is Stripe's scheme byte for byte, so receivers verify it with Stripe's own code.</summary>
public sealed class OutboundSignatureTests
{
    private const string Secret = "outbound_signing_secret";
    private const string Body = "{\"id\":\"cus_1:2\",\"type\":\"entitlements.changed\",\"note\":\"caf\u00e9 \u2603\"}";

    [Fact]
    public void The_header_is_exactly_what_Stripe_net_generates_for_the_same_body_secret_and_time()
    {
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(1763900000);

        var header = OutboundSignature.Create(Encoding.UTF8.GetBytes(Body), Secret, timestamp);

        Assert.Equal(EventUtility.GenerateSignatureHeader(Body, Secret, timestamp.ToUnixTimeSeconds()), header);
    }

    [Fact]
    public void Stripe_net_accepts_a_fresh_signature_and_refuses_a_stale_one()
    {
        var body = Encoding.UTF8.GetBytes(Body);

        EventUtility.ValidateSignature(Body, OutboundSignature.Create(body, Secret, DateTimeOffset.UtcNow), Secret, tolerance: 300);
        Assert.Throws<StripeException>(() => EventUtility.ValidateSignature(
            Body, OutboundSignature.Create(body, Secret, DateTimeOffset.UtcNow.AddMinutes(-10)), Secret, tolerance: 300));
    }
}
