using Xunit;

namespace Billing.Testing.Stripe;

/// <summary>A fact that reads the shared Stripe fixtures: skipped without them, except under CI (see <see cref="StripeFixtureGate"/>).</summary>
public sealed class StripeFixtureFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the fixtures are absent outside CI.</summary>
    public StripeFixtureFactAttribute() => Skip = StripeFixtureGate.SkipReason!;
}
