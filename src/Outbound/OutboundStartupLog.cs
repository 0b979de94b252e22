using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Outbound;

/// <summary>Says at start where outbound deliveries go (hosts only) and, when dead letters are not durable, says so loudly.</summary>
internal sealed partial class OutboundStartupLog(IServiceProvider services, IOptions<OutboundOptions> options, ILogger<OutboundStartupLog> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var anyEndpoint = false;
        foreach (var target in Enum.GetValues<OutboundTarget>())
        {
            var endpoints = options.Value.EndpointsFor(target);
            anyEndpoint |= endpoints.Count > 0;
            if (endpoints.Count == 0)
            {
                LogNoEndpoint(target, OutboundOptions.EndpointsKeyFor(target));
            }
            else
            {
                LogEndpoints(target, endpoints.Count, string.Join(", ", endpoints.Select(OutboundDelivery.HostOf)));
            }
        }

        if (anyEndpoint)
        {
            // Creating the store now makes the in-memory store's warning appear at start, not at the first refusal.
            _ = services.GetRequiredService<DeadLetterStore>();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound {Target}: no endpoint ({Key} is empty): messages are only logged")]
    private partial void LogNoEndpoint(OutboundTarget target, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound {Target}: {Count} endpoint(s) at {EndpointHosts}")]
    private partial void LogEndpoints(OutboundTarget target, int count, string endpointHosts);
}
