using Xunit;

namespace Billing.Testing.Stripe;

/// <summary>A theory whose data or body reads the shared Stripe fixtures: skipped without them, except under CI.</summary>
public sealed class StripeFixtureTheoryAttribute : TheoryAttribute
{
    /// <summary>
    /// Sets <see cref="FactAttribute.Skip"/> when the fixtures are absent outside CI; a skipped theory's data is not
    /// enumerated, so a member listing the fixture files is never read.
    /// </summary>
    public StripeFixtureTheoryAttribute() => Skip = StripeFixtureGate.SkipReason!;
}
