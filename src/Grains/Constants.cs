namespace Billing.Grains;

/// <summary>Names the silo configuration and the grains must agree on.</summary>
public static class Constants
{
    /// <summary>The grain storage provider every Billing grain persists through (ADO.NET on PostgreSQL).</summary>
    public const string StorageName = "billing";
}
