namespace Billing.Silo.Hosting;

/// <summary>
/// Says loudly, at start, that a silo without <c>ConnectionStrings:Billing</c>, or with <c>Billing:Journal:InMemory</c>,
/// keeps no customer history.
/// </summary>
internal sealed partial class InMemoryWarning(ILogger<InMemoryWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogNotDurable();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "NOTHING IS DURABLE: ConnectionStrings:Billing is not set (or Billing:Journal:InMemory is true), so this silo " +
        "keeps every customer's journal, snapshots and reminders in memory. Every event and entitlement is lost when it " +
        "stops. Set ConnectionStrings__Billing to a PostgreSQL database (see README) for anything but a quick look.")]
    private partial void LogNotDurable();
}
