using BenchmarkDotNet.Attributes;
using Billing.Gateway.Webhooks;
using Stripe;

namespace Billing.Bench.MicroBenchmarks;

/// <summary>
/// Verifying <c>Stripe-Signature</c>: the HMAC check alone (what the gateway does, through its verifier, also with
/// a rotated secret list where the match is the second secret) against <c>ConstructEvent</c>, which also parses
/// the whole event into Stripe.net's typed model (what the naive baseline does).
/// </summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private string _payload = "";
    private string _header = "";
    private StripeSignatureVerifier _verifier = null!;
    private StripeSignatureVerifier _rotatedVerifier = null!;

    /// <summary>Which body is signed.</summary>
    [Params(BenchPayloads.Minimal, BenchPayloads.Fixture)]
    public string Payload { get; set; } = BenchPayloads.Minimal;

    /// <summary>Signs the body now: the tolerance window (300 s) covers one benchmark's run.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _payload = BenchPayloads.Get(Payload);
        _header = EventUtility.GenerateSignatureHeader(_payload, BenchPayloads.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        _verifier = new StripeSignatureVerifier(new StaticOptionsMonitor<StripeOptions>(new StripeOptions { WebhookSecrets = [BenchPayloads.Secret] }));
        _rotatedVerifier = new StripeSignatureVerifier(new StaticOptionsMonitor<StripeOptions>(
            new StripeOptions { WebhookSecrets = ["whsec_retired_secret", BenchPayloads.Secret] }));
    }

    /// <summary>Stripe.net's signature check only.</summary>
    [Benchmark(Baseline = true)]
    public void ValidateSignature() => EventUtility.ValidateSignature(_payload, _header, BenchPayloads.Secret, 300);

    /// <summary>The gateway's verifier, one secret configured.</summary>
    [Benchmark]
    public string? GatewayVerifier() => _verifier.Verify(_payload, _header);

    /// <summary>The gateway's verifier during a rotation: the first secret fails (an exception), the second matches.</summary>
    [Benchmark]
    public string? GatewayVerifierRotated() => _rotatedVerifier.Verify(_payload, _header);

    /// <summary>Signature check plus the full typed parse.</summary>
    [Benchmark]
    public Event ConstructEvent() => EventUtility.ConstructEvent(_payload, _header, BenchPayloads.Secret, throwOnApiVersionMismatch: false);
}
