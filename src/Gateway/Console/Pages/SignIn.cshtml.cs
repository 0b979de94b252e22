using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Billing.Gateway.OperatorConsole.Pages;

/// <summary><c>/console/sign-in</c>: an admin key in, an operator cookie out.</summary>
public sealed class SignInModel(OperatorSignIn signIn, ILogger<SignInModel> logger) : PageModel
{
    /// <summary>Whether keys are configured (else the console is open and there is nothing to sign in to).</summary>
    public bool KeysRequired => signIn.KeysRequired;

    /// <summary>Whether the key just posted was refused.</summary>
    public bool Refused { get; private set; }

    /// <summary>Where to go after signing in (a console path only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Checks the key; signs in and goes back where the operator was, or says the key was refused.</summary>
    public async Task<IActionResult> OnPostAsync([FromForm] string? key)
    {
        if (!signIn.KeysRequired)
        {
            return LocalRedirect("/console");
        }

        if (!signIn.IsOperatorKey(key))
        {
            // Never the key itself, nor a part of it.
            logger.LogWarning("Console sign-in refused from {RemoteAddress}.", HttpContext.Connection.RemoteIpAddress);
            Refused = true;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(OperatorAuthentication.CookieScheme, OperatorAuthentication.Operator(OperatorAuthentication.CookieScheme));
        logger.LogInformation("Console sign-in from {RemoteAddress}.", HttpContext.Connection.RemoteIpAddress);
        var target = ReturnUrl is { } url && url.StartsWith("/console", StringComparison.Ordinal) && Url.IsLocalUrl(url) ? url : "/console";
        return LocalRedirect(target);
    }
}
