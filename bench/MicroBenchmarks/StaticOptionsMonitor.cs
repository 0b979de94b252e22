using Microsoft.Extensions.Options;

namespace Billing.Bench.MicroBenchmarks;

/// <summary>Options that never change, for services that take an <see cref="IOptionsMonitor{TOptions}"/>.</summary>
public sealed class StaticOptionsMonitor<TOptions>(TOptions value) : IOptionsMonitor<TOptions>
{
    /// <inheritdoc/>
    public TOptions CurrentValue => value;

    /// <inheritdoc/>
    public TOptions Get(string? name) => value;

    /// <inheritdoc/>
    public IDisposable? OnChange(Action<TOptions, string?> listener) => null;
}
