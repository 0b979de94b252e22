using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Journal.Tests;

/// <summary>A silo's journal services (store, writer, options, metrics), outside any silo, for tests of the store.</summary>
internal static class JournalServices
{
    public static ServiceProvider Create(string connectionString, IDictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddBillingJournal(connectionString, inMemory: false);
        return services.BuildServiceProvider();
    }
}
