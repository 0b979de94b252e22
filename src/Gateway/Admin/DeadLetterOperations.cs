using Billing.Outbound;

namespace Billing.Gateway.Admin;

/// <summary>
/// What operators do with dead letters, behind both <c>/admin/dead-letters</c> (JSON) and the console's pages: list,
/// read, replay. One path, so a replay from the console is exactly a replay from the API.
/// </summary>
public sealed class DeadLetterOperations(DeadLetterStore store, OutboundDelivery delivery, ILogger<DeadLetterOperations> logger)
{
    /// <summary>A page of dead letters, newest first, without bodies.</summary>
    public Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default) =>
        store.ListAsync(query, cancellationToken);

    /// <summary>One dead letter with its body; null when there is none of that id.</summary>
    public Task<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken = default) => store.GetAsync(id, cancellationToken);

    /// <summary>
    /// Sends the stored body, freshly signed, to the stored endpoint, once; null for an unknown id. Logged, so that who
    /// replayed what can be told from the gateway's log whichever surface asked.
    /// </summary>
    public async Task<ReplayResult?> ReplayAsync(long id, CancellationToken cancellationToken = default)
    {
        var result = await delivery.ReplayAsync(id, cancellationToken);
        if (result is not null)
        {
            logger.LogInformation("Dead letter {DeadLetterId} replayed by an operator: {ReplayStatus} ({StatusCode}).",
                id, result.Status, result.StatusCode);
        }

        return result;
    }
}
