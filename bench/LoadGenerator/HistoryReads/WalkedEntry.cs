using Billing.V1;

namespace Billing.Bench.LoadGenerator.HistoryReads;

/// <summary>One entry of the walked history: when it was recorded and the entitlements after it.</summary>
internal sealed record WalkedEntry(string EventId, DateTimeOffset RecordedAt, AccessState Access, IReadOnlyList<string> Features, long Version);
