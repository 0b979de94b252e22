using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Billing.Grains.Changes;

/// <summary>
/// Places a grain on the silo its key names (a <see cref="SiloAddress"/> in its parsable form), so that a client can
/// reach one given silo, e.g. to follow that silo's <see cref="EntitlementsFeed"/>. When that silo is gone the grain is
/// placed here; it then finds its key is not this silo and says so.
/// </summary>
[Serializable]
[GenerateSerializer]
[Immutable]
[SuppressReferenceTracking]
[Alias("billing.SiloBoundPlacement")]
public sealed class SiloBoundPlacement : PlacementStrategy
{
    /// <summary>The strategy (it has no settings).</summary>
    public static SiloBoundPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class as placed by <see cref="SiloBoundPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloBoundPlacementAttribute() : PlacementAttribute(SiloBoundPlacement.Instance);

/// <summary>Picks the silo a <see cref="SiloBoundPlacement"/> grain's key names, when it is compatible and alive.</summary>
public sealed class SiloBoundPlacementDirector : IPlacementDirector
{
    /// <inheritdoc/>
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = target.GrainIdentity.Key.ToString();
        var compatible = context.GetCompatibleSilos(target);
        try
        {
            var named = SiloAddress.FromParsableString(key);
            if (compatible.Contains(named))
            {
                return Task.FromResult(named);
            }
        }
        catch (FormatException)
        {
            // Not a silo address: placed here, where the grain answers that its silo is gone.
        }

        return Task.FromResult(compatible.Contains(context.LocalSilo) ? context.LocalSilo : compatible[0]);
    }
}
