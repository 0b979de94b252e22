using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Billing.Gateway.OperatorConsole.Pages;

/// <summary><c>/console/sign-out</c>: drops the operator cookie (a POST, so no link can sign an operator out).</summary>
public sealed class SignOutModel : PageModel
{
    /// <summary>Shows a sign-out button.</summary>
    public void OnGet()
    {
    }

    /// <summary>Signs out and shows the sign-in form.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(OperatorAuthentication.CookieScheme);
        return LocalRedirect("/console/sign-in");
    }
}
