using Billing.Grains.Risk;
using Microsoft.Extensions.Logging;

namespace Billing.Grains.Customers;

/// <summary>
/// Keeping the customer's row of the at-risk index (<see cref="IRiskIndex"/>). The index is derived data: it is written
/// after the journal append succeeded, never before, and never fails or delays the call (the write is started, not
/// awaited, like publishing). When the assessment changes, the row is written (or removed); a failed write is logged and
/// tried again at the next change. A crash between the append and the write heals at the next activation, which
/// writes the row again when the assessment is not empty (idempotent: the row's <c>updated_at</c> stays when nothing
/// changed). A removal lost that way heals at the customer's next change (the first change of an activation with nothing
/// at risk removes the row, a cheap delete by key): activations of customers with nothing at risk cost no query.
/// </summary>
public sealed partial class CustomerGrain
{
    // What the index holds for this customer as far as this activation knows; null: unknown (activation, failed write).
    private RiskAssessment? _indexedRisk;

    private void IndexRisk(CustomerLedger ledger, bool activating)
    {
        var assessment = ChurnRisk.Assess(ledger.State, time.GetUtcNow());
        if (assessment.SameAs(_indexedRisk) || (activating && assessment.IsEmpty))
        {
            // An activation with nothing at risk leaves the row unknown: the next change removes a stale one.
            return;
        }

        _indexedRisk = assessment;
        _ = WriteRiskAsync(assessment, ledger.LastRecordedAt);
    }

    // Started, not awaited: its continuations run on this activation between turns. Writes carry the journal time of
    // the change, so one that reaches the store late never replaces a newer one.
    private async Task WriteRiskAsync(RiskAssessment assessment, DateTimeOffset at)
    {
        try
        {
            if (assessment.IsEmpty)
            {
                await riskIndex.RemoveAsync(CustomerId, at);
            }
            else
            {
                await riskIndex.UpsertAsync(CustomerId, assessment, at);
            }
        }
        catch (Exception exception)
        {
            if (ReferenceEquals(_indexedRisk, assessment))
            {
                _indexedRisk = null;
            }

            LogRiskIndexFailed(exception, CustomerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the at-risk index for customer {CustomerId}; it is written again at its next change")]
    private partial void LogRiskIndexFailed(Exception exception, string customerId);
}
