using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace Billing.Deploy.Tests.Infrastructure;

/// <summary>Renders the Kustomize overlays with the real <c>kubectl kustomize</c> (offline: no cluster needed).</summary>
internal static class Kubectl
{
    private static readonly ConcurrentDictionary<string, Lazy<RenderedOverlay>> Rendered = new(StringComparer.Ordinal);

    /// <summary>The overlay <c>deploy/k8s/overlays/{name}</c>, rendered once per test run.</summary>
    public static RenderedOverlay Render(string overlay) =>
        Rendered.GetOrAdd(overlay, name => new Lazy<RenderedOverlay>(() =>
            new RenderedOverlay(name, Run("kustomize", Repository.PathOf($"deploy/k8s/overlays/{name}"))))).Value;

    /// <summary>Runs kubectl (from <c>KUBECTL</c>, else PATH) and returns its standard output.</summary>
    public static string Run(params string[] arguments)
    {
        var kubectl = Environment.GetEnvironmentVariable("KUBECTL") is { Length: > 0 } path ? path : "kubectl";
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"'{kubectl}' could not be started ({exception.Message}). The deployment tests render deploy/k8s with " +
                "`kubectl kustomize` (offline, no cluster needed): install kubectl " +
                "(https://kubernetes.io/docs/tasks/tools/) or set KUBECTL to its path.", exception);
        }

        using (process ?? throw new InvalidOperationException($"'{kubectl}' did not start."))
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish within 2 minutes.");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"kubectl {string.Join(' ', arguments)} exited with {process.ExitCode}:{Environment.NewLine}{error.GetAwaiter().GetResult()}");
            }

            return output.GetAwaiter().GetResult();
        }
    }
}
