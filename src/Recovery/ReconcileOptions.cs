namespace Billing.Recovery;

/// <summary><c>Billing:Reconcile</c>: comparing every customer with Stripe's objects.</summary>
public sealed class ReconcileOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Billing:Reconcile";

    /// <summary>How often every customer's state is compared with Stripe's objects; zero turns it off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// When more than this share of the customers checked drifts in one run (and at least <see cref="MassDriftMinimum"/>),
    /// nothing is repaired and the run reports it: a bug or a misconfiguration (a key of the wrong account or mode) must
    /// not rewrite everyone.
    /// </summary>
    public double MassDriftShare { get; set; } = 0.05;

    /// <summary>Below this many drifted customers a run always repairs (a small account's 1 of 3 is not a mass drift).</summary>
    public int MassDriftMinimum { get; set; } = 20;
}
