namespace Billing.Insights.Tests;

public sealed class DetectionOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new DetectionOptionsValidator().Validate(null, new DetectionOptions()).Succeeded);
    }

    [Fact]
    public void Nonsense_is_refused_with_a_reason()
    {
        var result = new DetectionOptionsValidator().Validate(null, new DetectionOptions
        {
            PageP = 0.01,
            WarnP = 0.001,
            GlobalFailureRate = 1.5,
            DisputeWindow = TimeSpan.FromDays(3),
            MaxRememberedKeys = 10,
        });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("PageP must not exceed WarnP", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("GlobalFailureRate", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("DisputeWindow", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("MaxRememberedKeys", StringComparison.Ordinal));
    }
}
