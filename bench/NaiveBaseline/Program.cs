// The naive baseline: verify with Stripe.net's ConstructEvent, then one INSERT … ON CONFLICT DO NOTHING per event.
// It derives nothing and orders nothing; it is the cost floor of "store the webhook" that most teams start from.
using Billing.Bench.NaiveBaseline;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddNaiveEventStore(builder.Configuration);

var app = builder.Build();
await app.Services.GetRequiredService<NaiveEventStore>().CreateTableAsync(app.Lifetime.ApplicationStopping);
app.MapNaiveWebhook(builder.Configuration["Stripe:WebhookSecret"]
    ?? throw new InvalidOperationException("Stripe:WebhookSecret is required"));
app.MapGet("/healthz", () => Results.Ok());
app.MapGet("/events/count", async (NaiveEventStore store, CancellationToken cancellationToken) =>
    Results.Ok(new EventCount(await store.CountAsync(cancellationToken))));
await app.RunAsync();
