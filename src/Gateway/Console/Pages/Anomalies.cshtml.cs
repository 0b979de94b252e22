using System.Collections.Immutable;
using Billing.Grains.Anomalies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Billing.Gateway.OperatorConsole.Pages;

/// <summary>
/// <c>/console/anomalies</c>: what the detectors found, newest first, with acknowledge and resolve (POSTs with
/// antiforgery, through the same grain as <c>/admin/anomalies</c>), and the platform's 30-day dispute ratio.
/// </summary>
public sealed class AnomaliesModel(IClusterClient cluster) : PageModel
{
    private const int Limit = 200;

    /// <summary><c>unresolved</c> (default), <c>open</c>, <c>acknowledged</c>, <c>resolved</c> or <c>all</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public string State { get; set; } = "unresolved";

    /// <summary>The anomalies shown.</summary>
    public ImmutableArray<Anomaly> Rows { get; private set; } = [];

    /// <summary>The platform account's detector, for its dispute ratio.</summary>
    public DetectorStatus? Platform { get; private set; }

    /// <summary>What the last action did.</summary>
    public string? Message { get; private set; }

    /// <summary>Lists.</summary>
    public Task OnGetAsync() => LoadAsync();

    /// <summary>Acknowledges one, then lists.</summary>
    public async Task<IActionResult> OnPostAcknowledgeAsync(string id)
    {
        var anomaly = await Queries.AcknowledgeAsync(id);
        Message = anomaly is null ? $"There is no anomaly {id}." : $"{id} is {AnomalyStateNames.NameOf(anomaly.State)}.";
        await LoadAsync();
        return Page();
    }

    /// <summary>Resolves one (its account's baseline learns again), then lists.</summary>
    public async Task<IActionResult> OnPostResolveAsync(string id)
    {
        var anomaly = await Queries.ResolveAsync(id);
        Message = anomaly is null ? $"There is no anomaly {id}." : $"{id} is {AnomalyStateNames.NameOf(anomaly.State)}.";
        await LoadAsync();
        return Page();
    }

    private IAnomalyQueriesGrain Queries => cluster.GetGrain<IAnomalyQueriesGrain>(0);

    private async Task LoadAsync()
    {
        if (State == "all")
        {
            Rows = await Queries.ListAsync(Limit, state: null);
        }
        else if (AnomalyStateNames.Parse(State) is { } wanted)
        {
            Rows = await Queries.ListAsync(Limit, wanted);
        }
        else
        {
            State = "unresolved";
            var open = await Queries.ListAsync(Limit, AnomalyState.Open);
            var acknowledged = await Queries.ListAsync(Limit, AnomalyState.Acknowledged);
            Rows = [.. open.Concat(acknowledged).OrderByDescending(anomaly => anomaly.DetectedAt)];
        }

        Platform = await cluster.GetGrain<IAnomalyDetectorGrain>(Anomaly.PlatformScope).GetStatusAsync();
    }
}
