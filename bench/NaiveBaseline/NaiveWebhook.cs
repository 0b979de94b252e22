using Npgsql;
using Stripe;

namespace Billing.Bench.NaiveBaseline;

/// <summary><c>POST /stripe/webhook</c> as the Stripe docs' samples write it.</summary>
public static class NaiveWebhook
{
    /// <summary>Registers the data source and the store.</summary>
    public static IServiceCollection AddNaiveEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Naive")
            ?? throw new InvalidOperationException("ConnectionStrings:Naive is required");
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<NaiveEventStore>();
        return services;
    }

    /// <summary>Maps the webhook route.</summary>
    public static IEndpointRouteBuilder MapNaiveWebhook(this IEndpointRouteBuilder routes, string secret)
    {
        routes.MapPost("/stripe/webhook", async (HttpRequest request, NaiveEventStore store, CancellationToken cancellationToken) =>
        {
            using var reader = new StreamReader(request.Body);
            var json = await reader.ReadToEndAsync(cancellationToken);
            Event stripeEvent;
            try
            {
                // throwOnApiVersionMismatch: false, or every event of another API version would be refused.
                stripeEvent = EventUtility.ConstructEvent(json, request.Headers["Stripe-Signature"], secret,
                    throwOnApiVersionMismatch: false);
            }
            catch (StripeException exception)
            {
                return Results.BadRequest(exception.Message);
            }

            var stored = new StoredEvent(stripeEvent.Id, stripeEvent.Type, CustomerOf(stripeEvent), stripeEvent.Created, json);
            try
            {
                var inserted = await store.InsertAsync(stored, cancellationToken);
                return Results.Ok(new WebhookAnswer(stripeEvent.Id, inserted ? "applied" : "duplicate"));
            }
            catch (NpgsqlException)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
        });
        return routes;
    }

    private static string? CustomerOf(Event stripeEvent) => stripeEvent.Data.Object switch
    {
        Subscription subscription => subscription.CustomerId,
        Invoice invoice => invoice.CustomerId,
        Customer customer => customer.Id,
        _ => null,
    };
}
