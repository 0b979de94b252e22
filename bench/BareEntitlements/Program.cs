// billing.v1.Entitlements from an in-memory dictionary: no cluster, no storage. The load generator runs the same
// CheckEntitlement load against it and the gateway, so the gap between them is the product's own cost.
using Billing.Bench.BareEntitlements;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGrpc();
builder.Services.AddSingleton(EntitlementTable.Create(
    builder.Configuration["Bench:CustomerPrefix"] ?? "cus_bench_",
    builder.Configuration.GetValue("Bench:Customers", 10_000)));

var app = builder.Build();
app.MapGrpcService<BareEntitlementsService>();
await app.RunAsync();
