using Billing.Outbound.Tests.Infrastructure;
using Billing.Testing.Outbound;
using Stripe;

namespace Billing.Outbound.Tests;

/// <summary>An operator's replay: the stored body, freshly signed, to the stored endpoint, once.</summary>
public sealed class ReplayTests(OutboundDatabase database) : IClassFixture<OutboundDatabase>, IAsyncLifetime
{
    private RecordingReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await RecordingReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_replay_to_an_endpoint_that_now_accepts_delivers_the_same_body_freshly_signed_and_marks_it_replayed()
    {
        _receiver.Script("fulfillment", 404, 200);
        await using var host = await OutboundHost.StartAsync(OutboundHost.Settings(database.ConnectionString, [_receiver.Url("fulfillment")]));
        var message = TestMessage.EntitlementsChanged();
        Assert.Equal(DeliveryOutcome.DeadLettered, await message.DeliverAsync(host.Delivery));
        var deadLetter = Assert.Single(await host.DeadLetters.ListAsync(new DeadLetterQuery(CustomerId: message.CustomerId)));

        var result = await host.Delivery.ReplayAsync(deadLetter.Id);

        Assert.NotNull(result);
        Assert.Equal(ReplayStatus.Delivered, result.Status);
        Assert.Equal(200, result.StatusCode);
        Assert.NotNull(result.ReplayedAt);
        var requests = _receiver.RequestsTo("fulfillment");
        Assert.Equal(2, requests.Count);
        Assert.Equal(message.Body, requests[1].Body);
        Assert.Equal(message.Id, requests[1].MessageId);
        EventUtility.ValidateSignature(requests[1].BodyText, requests[1].Signature, OutboundHost.SigningSecret, tolerance: 300);
        var replayed = await host.DeadLetters.GetAsync(deadLetter.Id);
        Assert.Equal(200, replayed!.ReplayStatusCode);
        Assert.False(replayed.IsPending);
    }

    [Fact]
    public async Task A_replay_to_an_endpoint_that_still_refuses_is_sent_once_and_stays_pending()
    {
        _receiver.Script("fulfillment", 422);
        await using var host = await OutboundHost.StartAsync(OutboundHost.Settings(database.ConnectionString, [_receiver.Url("fulfillment")]));
        var message = TestMessage.EntitlementsChanged();
        await message.DeliverAsync(host.Delivery);
        var deadLetter = Assert.Single(await host.DeadLetters.ListAsync(new DeadLetterQuery(CustomerId: message.CustomerId)));

        var result = await host.Delivery.ReplayAsync(deadLetter.Id);

        Assert.Equal(ReplayStatus.Rejected, result!.Status);
        Assert.Equal(422, result.StatusCode);
        Assert.Equal(2, _receiver.RequestsTo("fulfillment").Count);
        Assert.True((await host.DeadLetters.GetAsync(deadLetter.Id))!.IsPending);
        Assert.Equal(1, await database.CountDeadLettersAsync(message.Id));
    }

    [Fact]
    public async Task A_replay_to_an_endpoint_that_is_down_is_tried_once_without_retries()
    {
        _receiver.Script("fulfillment", 404, 503);
        await using var host = await OutboundHost.StartAsync(OutboundHost.Settings(database.ConnectionString, [_receiver.Url("fulfillment")]));
        var message = TestMessage.EntitlementsChanged();
        await message.DeliverAsync(host.Delivery);
        var deadLetter = Assert.Single(await host.DeadLetters.ListAsync(new DeadLetterQuery(CustomerId: message.CustomerId)));

        var result = await host.Delivery.ReplayAsync(deadLetter.Id);

        Assert.Equal(ReplayStatus.Rejected, result!.Status);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal(2, _receiver.RequestsTo("fulfillment").Count);
    }

    [Fact]
    public async Task A_replay_to_an_endpoint_that_does_not_answer_reports_it_unreachable()
    {
        _receiver.Script("fulfillment", 404, Answer.Hanging);
        await using var host = await OutboundHost.StartAsync(OutboundHost.Settings(database.ConnectionString, [_receiver.Url("fulfillment")]));
        var message = TestMessage.EntitlementsChanged();
        await message.DeliverAsync(host.Delivery);
        var deadLetter = Assert.Single(await host.DeadLetters.ListAsync(new DeadLetterQuery(CustomerId: message.CustomerId)));

        var result = await host.Delivery.ReplayAsync(deadLetter.Id);

        Assert.Equal(ReplayStatus.Unreachable, result!.Status);
        Assert.Null(result.StatusCode);
        Assert.StartsWith("timeout", result.Error, StringComparison.Ordinal);
        Assert.True((await host.DeadLetters.GetAsync(deadLetter.Id))!.IsPending);
    }

    [Fact]
    public async Task Replaying_an_unknown_dead_letter_answers_nothing()
    {
        await using var host = await OutboundHost.StartAsync(OutboundHost.Settings(database.ConnectionString));

        Assert.Null(await host.Delivery.ReplayAsync(long.MaxValue));
    }
}
