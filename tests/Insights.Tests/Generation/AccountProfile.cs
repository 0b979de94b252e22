namespace Billing.Insights.Tests.Generation;

/// <summary>How one synthetic account behaves when nothing is wrong.</summary>
/// <param name="Account">Its id.</param>
/// <param name="AttemptsPerHour">Mean payment attempts per hour (over the week).</param>
/// <param name="FailureRate">Mean share of attempts that fail.</param>
/// <param name="RefundsPerHour">Mean refunds per hour.</param>
/// <param name="DisputesPerHour">Mean disputes per hour.</param>
/// <param name="DailyAmplitude">Day/night swing of the rate (0.6: peak 1.6×, trough 0.4×).</param>
/// <param name="WeekendFactor">Rate on Saturdays and Sundays relative to weekdays.</param>
/// <param name="DispersionShape">Shape of the hourly Gamma multiplier (smaller: burstier traffic).</param>
public sealed record AccountProfile(
    string Account,
    double AttemptsPerHour,
    double FailureRate,
    double RefundsPerHour,
    double DisputesPerHour,
    double DailyAmplitude = 0.6,
    double WeekendFactor = 0.6,
    double DispersionShape = 8);
