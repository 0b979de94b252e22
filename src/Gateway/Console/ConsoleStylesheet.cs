using System.Reflection;

namespace Billing.Gateway.OperatorConsole;

/// <summary>The console's one stylesheet, embedded in the gateway (the machines it runs on may be offline: no CDN).</summary>
internal static class ConsoleStylesheet
{
    public const string Path = "/console/console.css";

    private static readonly Lazy<byte[]> Content = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Billing.Gateway.OperatorConsole.console.css")
            ?? throw new InvalidOperationException("console.css is not embedded in the gateway.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IResult Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Bytes(Content.Value, "text/css; charset=utf-8");
    }
}
