namespace Billing.Testing.Stripe;

/// <summary>One list page: its objects newest first, and whether more follow in the direction of travel.</summary>
internal sealed record StubPage(IReadOnlyList<StubRecord> Data, bool HasMore);
