using Billing.Gateway.Grpc;

namespace Billing.Gateway.Admin;

/// <summary>The admin routes ask for an operator's bearer key (<c>Gateway:AdminApiKeys</c>, else <c>Gateway:ApiKeys</c>).</summary>
internal sealed class ApiKeyEndpointFilter(ApiKeyValidator validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (validator.IsOperator(http.Request.Headers.Authorization))
        {
            return await next(context);
        }

        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Json(new AdminError("unauthorized", "an Authorization: Bearer <key> header with one of Gateway:AdminApiKeys (else Gateway:ApiKeys) is required"),
            AdminJsonContext.Default.AdminError, statusCode: StatusCodes.Status401Unauthorized);
    }
}
