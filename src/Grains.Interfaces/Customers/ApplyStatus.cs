namespace Billing.Grains.Customers;

/// <summary>What happened to a delivered event; the webhook answers it as <c>status</c>.</summary>
[GenerateSerializer]
[Alias("billing.ApplyStatus")]
public enum ApplyStatus
{
    /// <summary>Stored for the first time (its effect may still be nothing, e.g. an older snapshot).</summary>
    Applied = 0,

    /// <summary>Already applied before: nothing changed.</summary>
    Duplicate = 1,

    /// <summary>Of a type or mode the product does not use: nothing stored.</summary>
    Ignored = 2,
}
