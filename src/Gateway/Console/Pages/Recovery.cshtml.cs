using Billing.Gateway.Admin;
using Billing.Gateway.Webhooks;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.OperatorConsole.Pages;

/// <summary><c>/console/recovery</c>: the recovery jobs and the drift, as <c>GET /admin/stripe/jobs</c> and <c>GET /admin/drift</c> answer.</summary>
public sealed class RecoveryModel(RecoveryQueries recovery, IOptionsMonitor<StripeOptions> stripe) : PageModel
{
    /// <summary>The most drifted customers listed.</summary>
    public const int DriftLimit = 100;

    /// <summary>Whether <c>Stripe:ApiKey</c> is set: without it nothing can be read from Stripe's API.</summary>
    public bool Configured { get; private set; }

    /// <summary>The jobs of the last 7 days.</summary>
    public JobsView? Jobs { get; private set; }

    /// <summary>The latest reconciliation and its drifts.</summary>
    public DriftView? Drift { get; private set; }

    /// <summary>Reads both when configured.</summary>
    public async Task OnGetAsync()
    {
        Configured = !string.IsNullOrWhiteSpace(stripe.CurrentValue.ApiKey);
        if (Configured)
        {
            var jobs = recovery.ListJobsAsync();
            var drift = recovery.GetDriftAsync();
            Jobs = await jobs;
            Drift = await drift;
        }
    }
}
