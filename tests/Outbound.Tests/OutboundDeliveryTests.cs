using System.Diagnostics;
using Billing.Outbound.Tests.Infrastructure;
using Billing.Testing.Network;
using Billing.Testing.Outbound;
using Microsoft.Extensions.Logging;
using Stripe;

namespace Billing.Outbound.Tests;

/// <summary>
/// Deliveries through the real HttpClient pipeline to a real Kestrel receiver whose answers each test scripts, with
/// dead letters in a real PostgreSQL database.
/// </summary>
public sealed class OutboundDeliveryTests(OutboundDatabase database) : IClassFixture<OutboundDatabase>, IAsyncLifetime
{
    private RecordingReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await RecordingReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private Task<OutboundHost> StartAsync(string[]? fulfillment = null, string[]? notifications = null) =>
        OutboundHost.StartAsync(OutboundHost.Settings(database.ConnectionString, fulfillment, notifications));

    [Fact]
    public async Task A_2xx_answer_is_delivered_once_signed_so_that_Stripe_net_verifies_it()
    {
        await using var host = await StartAsync([_receiver.Url("fulfillment")]);
        var message = TestMessage.EntitlementsChanged();

        var outcome = await message.DeliverAsync(host.Delivery);

        Assert.Equal(DeliveryOutcome.Delivered, outcome);
        var request = Assert.Single(_receiver.RequestsTo("fulfillment"));
        Assert.Equal("POST", request.Method);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal(message.Id, request.MessageId);
        Assert.Equal(message.Type, request.MessageType);
        Assert.Equal(message.Body, request.Body);
        Assert.NotNull(request.Signature);
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", request.Signature);

        // What a receiver does: Stripe's verifier, with the shared secret.
        EventUtility.ValidateSignature(request.BodyText, request.Signature, OutboundHost.SigningSecret, tolerance: 300);
        Assert.Throws<StripeException>(() =>
            EventUtility.ValidateSignature(request.BodyText, request.Signature, "another_secret", tolerance: 300));
        Assert.Throws<StripeException>(() =>
            EventUtility.ValidateSignature(request.BodyText + " ", request.Signature, OutboundHost.SigningSecret, tolerance: 300));
        Assert.Equal(0, await database.CountDeadLettersAsync(message.Id));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(202)]
    [InlineData(204)]
    public async Task Any_2xx_is_delivered(int statusCode)
    {
        _receiver.Script("ok", statusCode);
        await using var host = await StartAsync([_receiver.Url("ok")]);

        Assert.Equal(DeliveryOutcome.Delivered, await TestMessage.EntitlementsChanged().DeliverAsync(host.Delivery));
        Assert.Single(_receiver.RequestsTo("ok"));
    }

    [Fact]
    public async Task A_5xx_then_a_2xx_is_retried_within_the_call_and_delivered()
    {
        _receiver.Script("flaky", 500, 503, 200);
        await using var host = await StartAsync([_receiver.Url("flaky")]);
        var message = TestMessage.EntitlementsChanged();

        var outcome = await message.DeliverAsync(host.Delivery);

        Assert.Equal(DeliveryOutcome.Delivered, outcome);
        var requests = _receiver.RequestsTo("flaky");
        Assert.Equal(3, requests.Count);
        Assert.All(requests, request => Assert.Equal(message.Body, request.Body));
        Assert.Equal(0, await database.CountDeadLettersAsync(message.Id));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_persistent_5xx_is_retried_then_left_for_later_without_a_dead_letter(int statusCode)
    {
        _receiver.Script("down", statusCode);
        await using var host = await StartAsync([_receiver.Url("down")]);
        var message = TestMessage.EntitlementsChanged();

        var outcome = await message.DeliverAsync(host.Delivery);

        Assert.Equal(DeliveryOutcome.RetryLater, outcome);
        Assert.Equal(3, _receiver.RequestsTo("down").Count); // MaxAttempts
        Assert.Equal(0, await database.CountDeadLettersAsync(message.Id));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    public async Task A_408_or_429_is_retried_and_then_delivered(int statusCode)
    {
        _receiver.Script("busy", statusCode, 200);
        await using var host = await StartAsync([_receiver.Url("busy")]);
        var message = TestMessage.EntitlementsChanged();

        Assert.Equal(DeliveryOutcome.Delivered, await message.DeliverAsync(host.Delivery));
        Assert.Equal(2, _receiver.RequestsTo("busy").Count);
        Assert.Equal(0, await database.CountDeadLettersAsync(message.Id));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    public async Task A_persistent_408_or_429_is_left_for_later_without_a_dead_letter(int statusCode)
    {
        _receiver.Script("busy", statusCode);
        await using var host = await StartAsync([_receiver.Url("busy")]);
        var message = TestMessage.EntitlementsChanged();

        Assert.Equal(DeliveryOutcome.RetryLater, await message.DeliverAsync(host.Delivery));
        Assert.Equal(3, _receiver.RequestsTo("busy").Count);
        Assert.Equal(0, await database.CountDeadLettersAsync(message.Id));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_whole_budget_is_not_waited_for()
    {
        _receiver.Script("slow-down", new Answer(429, RetryAfter: "120"));
        await using var host = await StartAsync([_receiver.Url("slow-down")]);
        var stopwatch = Stopwatch.StartNew();

        var outcome = await TestMessage.EntitlementsChanged().DeliverAsync(host.Delivery);

        Assert.Equal(DeliveryOutcome.RetryLater, outcome);
        Assert.Single(_receiver.RequestsTo("slow-down"));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task An_endpoint_that_never_answers_times_out_per_attempt_and_is_left_for_later()
    {
        _receiver.Script("hangs", Answer.Hanging);
        await using var host = await StartAsync([_receiver.Url("hangs")]);
        var message = TestMessage.EntitlementsChanged();
        var stopwatch = Stopwatch.StartNew();

        var outcome = await message.DeliverAsync(host.Delivery);

        Assert.Equal(DeliveryOutcome.RetryLater, outcome);
        // 3 attempts of 1 s each, within the 4 s total budget.
        Assert.Equal(3, _receiver.RequestsTo("hangs").Count);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(4.5));
        Assert.Equal(0, await database.CountDeadLettersAsync(message.Id));
    }

    [Fact]
    public async Task A_refused_connection_is_left_for_later_without_a_dead_letter()
    {
        var nobody = $"http://127.0.0.1:{FreePort.Next()}/fulfillment";
        await using var host = await StartAsync([nobody]);
        var message = TestMessage.EntitlementsChanged();

        Assert.Equal(DeliveryOutcome.RetryLater, await message.DeliverAsync(host.Delivery));
        Assert.Equal(0, await database.CountDeadLettersAsync(message.Id));
        Assert.Contains(host.Logs.Lines, line => line.Level == LogLevel.Warning && line.Text.Contains(message.Id, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(410)]
    [InlineData(422)]
    public async Task A_structural_4xx_is_dead_lettered_at_once_after_exactly_one_request(int statusCode)
    {
        _receiver.Script("refuses", Answer.Status(statusCode, body: "{\"error\":\"unknown plan\"}"));
        await using var host = await StartAsync([_receiver.Url("refuses")]);
        var message = TestMessage.EntitlementsChanged();

        var outcome = await message.DeliverAsync(host.Delivery);

        Assert.Equal(DeliveryOutcome.DeadLettered, outcome);
        Assert.Single(_receiver.RequestsTo("refuses"));
        var deadLetter = Assert.Single(await host.DeadLetters.ListAsync(new DeadLetterQuery(CustomerId: message.CustomerId)));
        Assert.Equal(message.Id, deadLetter.MessageId);
        Assert.Equal(message.Type, deadLetter.MessageType);
        Assert.Equal(OutboundTarget.Fulfillment, deadLetter.Target);
        Assert.Equal(_receiver.Url("refuses"), deadLetter.Endpoint);
        Assert.Equal(statusCode, deadLetter.StatusCode);
        Assert.StartsWith($"HTTP {statusCode}", deadLetter.Error, StringComparison.Ordinal);
        Assert.Contains("unknown plan", deadLetter.Error, StringComparison.Ordinal);
        Assert.True(deadLetter.IsPending);
        Assert.Equal(message.BodyText, (await host.DeadLetters.GetAsync(deadLetter.Id))!.Body);
    }

    [Fact]
    public async Task A_message_delivered_again_to_a_refusing_endpoint_is_dead_lettered_only_once()
    {
        _receiver.Script("gone", 410);
        await using var host = await StartAsync([_receiver.Url("gone")]);
        var message = TestMessage.EntitlementsChanged();

        Assert.Equal(DeliveryOutcome.DeadLettered, await message.DeliverAsync(host.Delivery));
        Assert.Equal(DeliveryOutcome.DeadLettered, await message.DeliverAsync(host.Delivery));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => message.DeliverAsync(host.Delivery)));

        Assert.Equal(6, _receiver.RequestsTo("gone").Count);
        Assert.Equal(1, await database.CountDeadLettersAsync(message.Id));
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_is_dead_lettered()
    {
        _receiver.Script("moved", new Answer(301, Location: _receiver.Url("elsewhere")));
        await using var host = await StartAsync([_receiver.Url("moved")]);
        var message = TestMessage.EntitlementsChanged();

        Assert.Equal(DeliveryOutcome.DeadLettered, await message.DeliverAsync(host.Delivery));
        Assert.Single(_receiver.RequestsTo("moved"));
        Assert.Empty(_receiver.RequestsTo("elsewhere"));
        Assert.Equal(1, await database.CountDeadLettersAsync(message.Id));
    }

    [Fact]
    public async Task With_two_endpoints_one_refusing_the_message_is_dead_lettered_there_and_delivered_to_the_other()
    {
        _receiver.Script("refuses", 404);
        await using var host = await StartAsync([_receiver.Url("good"), _receiver.Url("refuses")]);
        var message = TestMessage.EntitlementsChanged();

        var outcome = await message.DeliverAsync(host.Delivery);

        Assert.Equal(DeliveryOutcome.DeadLettered, outcome);
        Assert.Equal(message.Body, Assert.Single(_receiver.RequestsTo("good")).Body);
        Assert.Single(_receiver.RequestsTo("refuses"));
        var deadLetter = Assert.Single(await host.DeadLetters.ListAsync(new DeadLetterQuery(CustomerId: message.CustomerId)));
        Assert.Equal(_receiver.Url("refuses"), deadLetter.Endpoint);
    }

    [Fact]
    public async Task With_two_endpoints_one_down_the_call_is_to_be_retried_later()
    {
        _receiver.Script("down", 503);
        _receiver.Script("refuses", 404);
        await using var host = await StartAsync([_receiver.Url("good"), _receiver.Url("down"), _receiver.Url("refuses")]);
        var message = TestMessage.EntitlementsChanged();

        Assert.Equal(DeliveryOutcome.RetryLater, await message.DeliverAsync(host.Delivery));
        Assert.Single(_receiver.RequestsTo("good"));
        Assert.Equal(3, _receiver.RequestsTo("down").Count);
        Assert.Equal(1, await database.CountDeadLettersAsync(message.Id));
    }

    [Fact]
    public async Task Each_target_delivers_to_its_own_endpoints()
    {
        await using var host = await StartAsync([_receiver.Url("fulfillment")], [_receiver.Url("mailer")]);
        var message = TestMessage.EntitlementsChanged();

        Assert.Equal(DeliveryOutcome.Delivered, await message.DeliverAsync(host.Delivery, OutboundTarget.Notifications));

        Assert.Single(_receiver.RequestsTo("mailer"));
        Assert.Empty(_receiver.RequestsTo("fulfillment"));
    }

    [Fact]
    public async Task A_target_without_endpoints_is_not_configured_logged_by_id_and_type_and_nothing_is_sent()
    {
        await using var host = await StartAsync(fulfillment: [_receiver.Url("fulfillment")]);
        var message = TestMessage.EntitlementsChanged();

        var outcome = await message.DeliverAsync(host.Delivery, OutboundTarget.Notifications);

        Assert.Equal(DeliveryOutcome.NotConfigured, outcome);
        Assert.Empty(_receiver.RequestsTo("fulfillment"));
        Assert.Contains(host.Logs.Lines, line =>
            line.Text.Contains(message.Id, StringComparison.Ordinal) && line.Text.Contains(message.Type, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_delivered_or_with_no_endpoint_logs_at_debug_only()
    {
        await using var host = await StartAsync(fulfillment: [_receiver.Url("fulfillment")]);
        var message = TestMessage.EntitlementsChanged();

        Assert.Equal(DeliveryOutcome.Delivered, await message.DeliverAsync(host.Delivery, OutboundTarget.Fulfillment));
        Assert.Equal(DeliveryOutcome.NotConfigured, await message.DeliverAsync(host.Delivery, OutboundTarget.Notifications));

        // One line per message at Information would be thousands of lines a minute under load: Debug only.
        var perMessage = host.Logs.Lines.Where(line => line.Text.Contains(message.Id, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, perMessage.Count);
        Assert.All(perMessage, line => Assert.Equal(LogLevel.Debug, line.Level));
    }

    [Fact]
    public async Task A_dead_letter_that_cannot_be_stored_leaves_the_message_for_later()
    {
        _receiver.Script("refuses", 404);
        var unreachableDatabase = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=nowhere;Timeout=2";
        await using var host = await OutboundHost.StartAsync(
            OutboundHost.Settings(unreachableDatabase, fulfillment: [_receiver.Url("refuses")]));
        var message = TestMessage.EntitlementsChanged();

        Assert.Equal(DeliveryOutcome.RetryLater, await message.DeliverAsync(host.Delivery));
        Assert.Contains(host.Logs.Lines, line => line.Level == LogLevel.Error && line.Text.Contains("could not be stored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_database_dead_letters_are_kept_in_memory_and_said_to_be_not_durable()
    {
        _receiver.Script("refuses", 422);
        await using var host = await OutboundHost.StartAsync(OutboundHost.Settings(fulfillment: [_receiver.Url("refuses")]));
        var message = TestMessage.EntitlementsChanged();

        Assert.Equal(DeliveryOutcome.DeadLettered, await message.DeliverAsync(host.Delivery));
        Assert.Equal(DeliveryOutcome.DeadLettered, await message.DeliverAsync(host.Delivery));

        Assert.False(host.DeadLetters.IsDurable);
        Assert.Equal(message.Id, Assert.Single(await host.DeadLetters.ListAsync(new DeadLetterQuery())).MessageId);
        Assert.Contains(host.Logs.Lines, line => line.Level == LogLevel.Warning && line.Text.Contains("NOT DURABLE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_caller_cancelling_stops_the_delivery_with_an_OperationCanceledException()
    {
        _receiver.Script("hangs", Answer.Hanging);
        await using var host = await StartAsync([_receiver.Url("hangs")]);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TestMessage.EntitlementsChanged().DeliverAsync(host.Delivery, cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task Logs_carry_ids_types_hosts_and_status_codes_never_bodies_secrets_or_endpoint_paths()
    {
        _receiver.Script("hooks/token-abc123?key=query-secret", 404);
        _receiver.Script("flaky-token-def456", 503, 200);
        await using var host = await StartAsync(
            [_receiver.Url("hooks/token-abc123?key=query-secret"), _receiver.Url("flaky-token-def456")]);
        var message = TestMessage.EntitlementsChanged();

        await message.DeliverAsync(host.Delivery);
        await message.DeliverAsync(host.Delivery, OutboundTarget.Notifications);

        var logs = host.Logs.AllText;
        Assert.Contains(message.Id, logs, StringComparison.Ordinal);
        Assert.Contains(_receiver.BaseAddress.Authority, logs, StringComparison.Ordinal);
        Assert.Contains("404", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("token-abc123", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("query-secret", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("token-def456", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(OutboundHost.SigningSecret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("\"features\"", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("v1=", logs, StringComparison.Ordinal);
    }
}
