using Billing.ServiceDefaults;
using Billing.Silo.Hosting;
using Billing.Silo.JournalTools;
using Billing.Silo.Migrations;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

if (args is ["verify-journal", ..])
{
    return await VerifyJournalCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("billing-silo");
builder.AddBillingSilo();

var app = builder.Build();
app.MapHealthEndpoints();
await app.RunAsync();
return 0;
