namespace Billing.Grains.Journal;

/// <summary>
/// The journal could not take an append now (the database is down or slow), or the append's outcome is unknown (the
/// connection broke during the commit). Nothing of the call counts as applied: the webhook answers 503, Stripe
/// delivers again, and the customer's next activation reads what the journal really holds, so a redelivery of an
/// event that did commit is answered "duplicate".
/// </summary>
[GenerateSerializer]
[Alias("billing.JournalUnavailableException")]
public sealed class JournalUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JournalUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public JournalUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
