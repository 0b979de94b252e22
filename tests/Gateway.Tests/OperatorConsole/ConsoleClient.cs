using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Billing.Gateway.Tests.OperatorConsole;

/// <summary>A browser without a browser: cookies, no automatic redirects, pages parsed by AngleSharp.</summary>
public sealed class ConsoleClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly IBrowsingContext _context = BrowsingContext.New(Configuration.Default);

    public ConsoleClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    /// <summary>GETs a page: the response (not followed) and its parsed document.</summary>
    public async Task<(HttpResponseMessage Response, IDocument Document)> GetAsync(string path)
    {
        var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        return (response, await ParseAsync(response));
    }

    /// <summary>Posts <paramref name="form"/>'s fields (its antiforgery token included) plus <paramref name="fields"/>.</summary>
    public async Task<(HttpResponseMessage Response, IDocument Document)> SubmitAsync(IHtmlFormElement form, IDictionary<string, string>? fields = null,
        string? actionPath = null)
    {
        var values = form.Elements.OfType<IHtmlInputElement>().Where(i => !string.IsNullOrEmpty(i.Name))
            .ToDictionary(i => i.Name!, i => i.Value);
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }

        var action = actionPath ?? form.GetAttribute("action") ?? string.Empty;
        using var content = new FormUrlEncodedContent(values);
        var response = await _http.PostAsync(new Uri(action, UriKind.Relative), content);
        return (response, await ParseAsync(response));
    }

    /// <summary>Signs in through the form with <paramref name="key"/>; the POST's response.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string key)
    {
        var (_, page) = await GetAsync("/console/sign-in");
        var form = page.QuerySelector<IHtmlFormElement>("form")!;
        var (response, _) = await SubmitAsync(form, new Dictionary<string, string> { ["key"] = key }, "/console/sign-in");
        return response;
    }

    private async Task<IDocument> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        return await _context.OpenAsync(request => request.Content(html));
    }

    public void Dispose()
    {
        _http.Dispose();
        _context.Dispose();
    }
}
