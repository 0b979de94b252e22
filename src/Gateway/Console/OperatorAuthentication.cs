using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.OperatorConsole;

/// <summary>The console's authentication schemes and policy names.</summary>
public static class OperatorAuthentication
{
    /// <summary>The cookie scheme the sign-in form sets (and the policy authenticates with).</summary>
    public const string CookieScheme = "BillingOperator";

    /// <summary>The bearer scheme a request with an <c>Authorization</c> header is forwarded to.</summary>
    public const string BearerScheme = "BillingOperatorBearer";

    /// <summary>The policy on every console page (and, later, the Orleans dashboard): an operator, or no keys configured.</summary>
    public const string Policy = "BillingOperator";

    /// <summary>The principal of a signed-in operator (it carries no key or key hash).</summary>
    public static ClaimsPrincipal Operator(string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator"), new Claim(ClaimTypes.Role, "operator")], scheme));
}

/// <summary><c>Authorization: Bearer &lt;key&gt;</c> on console pages, checked by <see cref="OperatorSignIn"/>.</summary>
internal sealed class OperatorBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OperatorSignIn signIn)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? authorization = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(authorization))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(signIn.KeysRequired && signIn.IsOperatorAuthorization(authorization)
            ? AuthenticateResult.Success(new AuthenticationTicket(OperatorAuthentication.Operator(Scheme.Name), Scheme.Name))
            : AuthenticateResult.Fail("not an operator key"));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}

/// <summary>An operator's request: signed in (cookie or bearer), or any request while no keys are configured.</summary>
internal sealed class OperatorRequirement : IAuthorizationRequirement;

/// <summary>Decides <see cref="OperatorRequirement"/>.</summary>
internal sealed class OperatorRequirementHandler(OperatorSignIn signIn) : AuthorizationHandler<OperatorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OperatorRequirement requirement)
    {
        if (!signIn.KeysRequired || context.User.IsInRole("operator"))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
