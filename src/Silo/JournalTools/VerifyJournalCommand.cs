using Billing.Grains;
using Billing.Grains.Journal;
using Billing.Journal;
using Billing.ServiceDefaults;
using Billing.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Billing.Silo.JournalTools;

/// <summary>
/// <c>dotnet run --project src/Silo -- verify-journal</c>: folds every customer's journal in
/// <c>ConnectionStrings:Billing</c> again, with this configuration (plan catalog, grace period), and reports every
/// entry whose recorded effects the fold no longer reproduces. Exit code 0 when there is none.
/// </summary>
public static class VerifyJournalCommand
{
    /// <summary>Runs the command; <paramref name="args"/> exclude the word <c>verify-journal</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        if (builder.Configuration.GetBillingConnectionString() is not { } connectionString)
        {
            await Console.Error.WriteLineAsync("verify-journal: ConnectionStrings:Billing is not set.");
            return 2;
        }

        builder.Services.AddBillingGrainServices();
        builder.Services.AddBillingJournal(connectionString, inMemory: false);
        using var host = builder.Build();
        var verifier = new JournalVerifier(host.Services.GetRequiredService<IJournalStore>(),
            host.Services.GetRequiredService<IOptions<BillingOptions>>().Value);
        var report = await verifier.VerifyAsync();
        Console.WriteLine($"verify-journal: {report.Customers} customers, {report.Entries} entries folded again, " +
                          $"{report.Mismatches} mismatches, {report.SkippedCustomers} customers skipped (journal pruned)");
        foreach (var example in report.Examples)
        {
            Console.WriteLine($"  {example}");
        }

        return report.Mismatches == 0 ? 0 : 1;
    }
}
