using System.Text;
using BenchmarkDotNet.Attributes;
using Billing.StripeEvents;
using Stripe;

namespace Billing.Bench.MicroBenchmarks;

/// <summary>
/// Reading a verified event: the gateway's <see cref="StripeEnvelopeReader"/> (the few fields billing needs, with
/// System.Text.Json) against Stripe.net's typed <c>ParseEvent</c>.
/// </summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private string _json = "";
    private byte[] _utf8 = [];

    /// <summary>Which body is read.</summary>
    [Params(BenchPayloads.Minimal, BenchPayloads.Fixture)]
    public string Payload { get; set; } = BenchPayloads.Minimal;

    /// <summary>Loads the body.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _json = BenchPayloads.Get(Payload);
        _utf8 = Encoding.UTF8.GetBytes(_json);
    }

    /// <summary>The gateway's reader, from the raw body bytes (as the webhook reads them).</summary>
    [Benchmark(Baseline = true)]
    public EnvelopeReadResult EnvelopeReader() => StripeEnvelopeReader.Read(_utf8);

    /// <summary>Stripe.net's typed parse (API version check off).</summary>
    [Benchmark]
    public Event StripeNetParseEvent() => EventUtility.ParseEvent(_json, throwOnApiVersionMismatch: false);
}
