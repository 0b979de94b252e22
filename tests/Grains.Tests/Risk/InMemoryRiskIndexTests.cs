using Billing.Grains.Risk;

namespace Billing.Grains.Tests.Risk;

/// <summary>The in-memory at-risk index (hosts without a database) keeps the same contract as PostgreSQL's.</summary>
public sealed class InMemoryRiskIndexTests : RiskIndexContract
{
    protected override Task<IRiskIndex> CreateAsync() => Task.FromResult<IRiskIndex>(new InMemoryRiskIndex());
}
