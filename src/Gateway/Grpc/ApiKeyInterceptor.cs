using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Billing.Gateway.Grpc;

/// <summary>
/// With <c>Gateway:ApiKeys</c> set, every gRPC call but health checks must carry <c>authorization: Bearer &lt;key&gt;</c>.
/// </summary>
public sealed class ApiKeyInterceptor(ApiKeyValidator validator) : Interceptor
{
    /// <inheritdoc/>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    /// <inheritdoc/>
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    /// <inheritdoc/>
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    /// <inheritdoc/>
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        // Orchestrators probe grpc.health.v1 without credentials. Without keys nothing is read: building the
        // call's metadata costs an allocation per call on the hottest path.
        if (!validator.KeysRequired || context.Method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal))
        {
            return;
        }

        if (!validator.IsAuthorized(context.GetHttpContext().Request.Headers.Authorization))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "a valid 'authorization: Bearer <key>' is required"));
        }
    }
}
