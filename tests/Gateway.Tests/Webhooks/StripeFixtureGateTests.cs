using Billing.Testing.Stripe;

namespace Billing.Gateway.Tests.Webhooks;

/// <summary>
/// Fixture tests run when the fixtures are there, skip with a message on a clone without them, and fail under CI
/// rather than pass by skipping.
/// </summary>
public sealed class StripeFixtureGateTests
{
    [Fact]
    public void Fixture_tests_run_when_the_fixtures_are_found_in_ci_or_not()
    {
        Assert.Null(StripeFixtureGate.Decide("/somewhere/fixtures/stripe", underCi: false));
        Assert.Null(StripeFixtureGate.Decide("/somewhere/fixtures/stripe", underCi: true));
    }

    [Fact]
    public void Fixture_tests_are_skipped_with_a_message_when_the_fixtures_are_absent_outside_ci()
    {
        var reason = StripeFixtureGate.Decide(null, underCi: false);

        Assert.NotNull(reason);
        Assert.StartsWith("../shared/fixtures/stripe not found: fixture tests skipped; set BILLING_STRIPE_FIXTURES", reason);
    }

    [Fact]
    public void Fixture_tests_run_and_so_fail_when_the_fixtures_are_absent_under_ci()
    {
        Assert.Null(StripeFixtureGate.Decide(null, underCi: true));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData(" true ", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Ci_is_read_from_the_ci_variable(string? value, bool expected)
    {
        Assert.Equal(expected, StripeFixtureGate.IsCi(value));
    }

    [Fact]
    public void The_attributes_skip_exactly_when_the_gate_says_so()
    {
        Assert.Equal(StripeFixtureGate.SkipReason, new StripeFixtureFactAttribute().Skip);
        Assert.Equal(StripeFixtureGate.SkipReason, new StripeFixtureTheoryAttribute().Skip);
    }

    [Fact]
    public void Reading_the_fixtures_folder_when_absent_says_where_it_was_looked_for()
    {
        if (StripeFixtures.Found is not null)
        {
            Assert.Equal(StripeFixtures.Found, StripeFixtures.Directory);
            return;
        }

        var error = Assert.Throws<InvalidOperationException>(() => StripeFixtures.Directory);
        Assert.Equal(StripeFixtureGate.UnderCi ? StripeFixtureGate.CiMessage : StripeFixtureGate.MissingMessage, error.Message);
    }
}
