using Billing.Gateway;

var app = GatewayApp.Create(args);
await app.RunAsync();
