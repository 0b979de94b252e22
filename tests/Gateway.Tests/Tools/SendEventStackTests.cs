using Billing.Gateway.Tests.Infrastructure;
using Billing.V1;
// The gateway and the silo each have a Program in the global namespace, which would win over a using directive.
using SendEventProgram = Billing.SendEvent.Program;

namespace Billing.Gateway.Tests.Tools;

/// <summary>README's quick start without Stripe or fixtures: tools/SendEvent against a real gateway and silo.</summary>
public sealed class SendEventStackTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private BillingStack Stack => fixture.Stack;

    [Fact]
    public async Task The_quick_start_samples_give_a_customer_access_then_grace_then_none()
    {
        var customer = $"cus_quick_{Guid.NewGuid():N}"[..24];

        var (code, output) = await RunAsync("--type", "customer.subscription.created", "--customer", customer);
        Assert.True(code == 0, output);
        Assert.Contains("\"applied\"", output, StringComparison.Ordinal);
        var entitlements = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customer });
        Assert.Equal(AccessState.Active, entitlements.Access);
        Assert.Equal(["exports", "reports"], entitlements.Features);

        (code, output) = await RunAsync("--type", "invoice.payment_failed", "--customer", customer);
        Assert.True(code == 0, output);
        (code, output) = await RunAsync("--type", "customer.subscription.updated", "--customer", customer, "--status", "past_due",
            "--previous-status", "active");
        Assert.True(code == 0, output);
        entitlements = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customer });
        Assert.Equal(AccessState.Grace, entitlements.Access);

        (code, output) = await RunAsync("--type", "customer.subscription.deleted", "--customer", customer);
        Assert.True(code == 0, output);
        entitlements = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customer });
        Assert.Equal(AccessState.None, entitlements.Access);
        Assert.Empty(entitlements.Features);
    }

    [Fact]
    public async Task A_burst_of_connect_charge_samples_is_answered_200_for_every_event()
    {
        var (code, output) = await RunAsync("--type", "charge.failed", "--customer", "cus_burst", "--account", "acct_1Burst",
            "--count", "20");

        Assert.True(code == 0, output);
        Assert.Contains("20 of 20 answered 2xx", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sample_signed_with_another_secret_is_refused_and_the_tool_says_so()
    {
        var (code, output) = await RunAsync("--type", "invoice.paid", "--customer", "cus_wrong_secret", "--secret", "whsec_not_the_gateways");

        Assert.Equal(1, code);
        Assert.Contains("400", output, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var url = new Uri(Stack.Http.BaseAddress!, "/stripe/webhook").ToString();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await SendEventProgram.RunAsync([.. args, "--url", url], stdout, stderr,
            name => name == "STRIPE_WEBHOOK_SECRET" ? BillingStack.WebhookSecrets[0] : null, CancellationToken.None);
        return (code, stdout.ToString() + stderr);
    }
}
