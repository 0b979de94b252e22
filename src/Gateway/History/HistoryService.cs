using Billing.Gateway.Grpc;
using Billing.Grains.Journal;
using Billing.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Billing.Gateway.History;

/// <summary><c>billing.v1.History</c>: a customer's applied events, oldest first, with what each changed.</summary>
public sealed class HistoryService(IClusterClient cluster) : V1.History.HistoryBase
{
    /// <summary>The page size when the caller gives none.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The largest page a caller may ask for.</summary>
    public const int MaxPageSize = 500;

    /// <inheritdoc/>
    public override async Task<ListCustomerEventsResponse> ListCustomerEvents(ListCustomerEventsRequest request, ServerCallContext context)
    {
        EntitlementsService.ValidateCustomerId(request.CustomerId);
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"page_size must be between 1 and {MaxPageSize}"));
        }

        var after = HistoryPageToken.Decode(request.CustomerId, request.PageToken)
            ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "page_token was not issued by this server for this customer"));
        var page = await cluster.GetHistory().ListAsync(request.CustomerId, after, pageSize);
        var response = new ListCustomerEventsResponse { NextPageToken = HistoryPageToken.Encode(request.CustomerId, page.NextAfterVersion) };
        response.Events.AddRange(page.Entries.Select(entry => ToMessage(entry, request.CustomerId)));
        return response;
    }

    private static CustomerEvent ToMessage(HistoryEntry entry, string customerId)
    {
        var message = new CustomerEvent
        {
            EventId = entry.EventId,
            Type = entry.Type,
            RecordedAt = Timestamp.FromDateTimeOffset(entry.RecordedAt),
            Source = JournalSources.NameOf(entry.Source),
            EntitlementsAfter = EntitlementsService.ToMessage(entry.Entitlements(customerId)),
            Changed = entry.Changed,
        };
        if (entry.Created is { } created)
        {
            message.Created = Timestamp.FromDateTimeOffset(created);
        }

        return message;
    }
}
