namespace Billing.Outbound;

/// <summary>Who receives a message: each target has its own endpoints (<c>Billing:&lt;Target&gt;:Endpoints</c>).</summary>
public enum OutboundTarget
{
    /// <summary><c>entitlements.changed</c> to the provisioning systems (<c>Billing:Fulfillment:Endpoints</c>).</summary>
    Fulfillment,

    /// <summary><c>notification.*</c> to the mailer (<c>Billing:Notifications:Endpoints</c>).</summary>
    Notifications,
}
