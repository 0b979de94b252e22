using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Billing.Resilience.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of one upstream (PostgreSQL), that can be <see cref="Cut"/>: every open
/// connection is reset and every new one is reset as soon as it is accepted, as when the database host goes away;
/// <see cref="Restore"/> forwards again. Plain sockets, so it sits between real processes and a real server.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Link> _links = new();
    private readonly Task _accepting;
    private long _nextLink;
    private long _refused;
    private volatile bool _cut;

    private TcpProxy(IPEndPoint upstream)
    {
        _upstream = upstream;
        _listener.Start(backlog: 512);
        _accepting = AcceptAsync();
    }

    /// <summary>The port the proxy listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted and reset because the proxy was cut.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Connections forwarded so far.</summary>
    public long Forwarded => Interlocked.Read(ref _nextLink);

    /// <summary>Starts forwarding 127.0.0.1:<see cref="Port"/> to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static async Task<TcpProxy> StartAsync(string host, int port)
    {
        var addresses = await Dns.GetHostAddressesAsync(host);
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
        return new TcpProxy(new IPEndPoint(address, port));
    }

    /// <summary>Resets every open connection and every new one until <see cref="Restore"/>; returns how many were open.</summary>
    public int Cut()
    {
        _cut = true;
        var open = 0;
        foreach (var (id, link) in _links)
        {
            if (_links.TryRemove(id, out _))
            {
                link.Reset();
                open++;
            }
        }

        return open;
    }

    /// <summary>Forwards new connections again.</summary>
    public void Restore() => _cut = false;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (SocketException) when (!_stopping.IsCancellationRequested)
            {
                // One failed accept (the peer gave up in the backlog) does not stop the proxy.
                continue;
            }

            if (_cut)
            {
                // A connection attempt while the database is "down" fails at once, like a refused connection.
                Interlocked.Increment(ref _refused);
                ResetAndClose(client);
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var upstream = new Socket(_upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await upstream.ConnectAsync(_upstream, _stopping.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            ResetAndClose(client);
            upstream.Dispose();
            return;
        }

        var id = Interlocked.Increment(ref _nextLink);
        var link = new Link(client, upstream);
        _links[id] = link;
        if (_cut && _links.TryRemove(id, out _))
        {
            // Cut while connecting upstream.
            link.Reset();
            return;
        }

        await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        if (_links.TryRemove(id, out _))
        {
            link.Close();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Either side went away (or the proxy cut it): the link ends.
        }
    }

    private static void ResetAndClose(Socket socket)
    {
        try
        {
            // Linger 0: close sends RST, the peer sees "connection reset" at once rather than an orderly end.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        socket.Dispose();
    }

    // One forwarded connection: the product's socket and ours to the upstream.
    private sealed record Link(Socket Client, Socket Upstream)
    {
        public void Reset()
        {
            ResetAndClose(Client);
            ResetAndClose(Upstream);
        }

        public void Close()
        {
            Client.Dispose();
            Upstream.Dispose();
        }
    }
}
