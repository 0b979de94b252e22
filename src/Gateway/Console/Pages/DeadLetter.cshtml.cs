using System.Text.Json;
using Billing.Gateway.Admin;
using Billing.Outbound;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Billing.Gateway.OperatorConsole.Pages;

/// <summary>
/// <c>/console/dead-letters/{id}</c>: one dead letter, its attempts and its body; <c>?confirm=1</c> asks before a replay,
/// which is a POST (with antiforgery) through <see cref="DeadLetterOperations.ReplayAsync"/>, as the admin API's.
/// </summary>
public sealed class DeadLetterModel(DeadLetterOperations deadLetters) : PageModel
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The dead letter's id.</summary>
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    /// <summary>Whether the operator asked to replay (the confirmation is shown).</summary>
    [BindProperty(SupportsGet = true)]
    public bool Confirm { get; set; }

    /// <summary>The dead letter; null when there is none of that id.</summary>
    public DeadLetter? Letter { get; private set; }

    /// <summary>The body, indented when it is JSON.</summary>
    public string Body { get; private set; } = string.Empty;

    /// <summary>The replay just done, if any.</summary>
    public ReplayResult? Replay { get; private set; }

    /// <summary>Shows it (and the confirmation when asked).</summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>Replays it once, then shows the outcome beside it.</summary>
    public async Task<IActionResult> OnPostReplayAsync(CancellationToken cancellationToken)
    {
        Replay = await deadLetters.ReplayAsync(Id, cancellationToken);
        Confirm = false;
        return await LoadAsync(cancellationToken);
    }

    private async Task<IActionResult> LoadAsync(CancellationToken cancellationToken)
    {
        Letter = await deadLetters.GetAsync(Id, cancellationToken);
        if (Letter is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Body = Pretty(Letter.Body ?? string.Empty);
        return Page();
    }

    private static string Pretty(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
