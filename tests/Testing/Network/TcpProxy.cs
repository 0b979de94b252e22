using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Billing.Testing.Network;

/// <summary>How the database goes away when a <see cref="TcpProxy"/> is cut.</summary>
public enum Outage
{
    /// <summary>Every open connection is reset, every new one is reset at once: the server is down, fast failures.</summary>
    Refuse,

    /// <summary>
    /// Connections stay open (new ones too) but nothing gets through: a partition or a hung server, failures only by
    /// timeouts. On restore the connections that lost data are reset.
    /// </summary>
    Blackhole,

    /// <summary>
    /// Connections stay open (new ones too) and what is sent is held back until the restore, then delivered: a
    /// stalled network or a paused server. Nothing is lost, everything is late.
    /// </summary>
    Stall,
}

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of one upstream (PostgreSQL) that can be <see cref="Cut"/> (see
/// <see cref="Outage"/>) and <see cref="Restore"/>d. Plain sockets, so it sits between real processes and a real server.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Link> _links = new();
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private long _nextLink;
    private long _refused;
    private Outage? _outage;

    // Completed unless stalled: every send waits for it.
    private TaskCompletionSource _flowing = Flowing();

    private TcpProxy(IPEndPoint upstream)
    {
        _upstream = upstream;
        _listener.Start(backlog: 512);
        _accepting = AcceptAsync();
    }

    /// <summary>The port the proxy listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections reset on arrival because the proxy was cut (<see cref="Outage.Refuse"/>).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Starts forwarding 127.0.0.1:<see cref="Port"/> to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static async Task<TcpProxy> StartAsync(string host, int port)
    {
        var addresses = await Dns.GetHostAddressesAsync(host);
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
        return new TcpProxy(new IPEndPoint(address, port));
    }

    /// <summary>Cuts the database off until <see cref="Restore"/>; returns how many connections were open.</summary>
    public int Cut(Outage outage)
    {
        List<Link> reset = [];
        int open;
        lock (_gate)
        {
            _outage = outage;
            open = _links.Count;
            if (outage == Outage.Stall && _flowing.Task.IsCompleted)
            {
                _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            foreach (var (id, link) in _links)
            {
                if (outage == Outage.Refuse)
                {
                    _links.TryRemove(id, out _);
                    reset.Add(link);
                }
                else if (outage == Outage.Blackhole)
                {
                    link.Frozen = true;
                }
            }
        }

        reset.ForEach(link => link.Reset());
        return open;
    }

    /// <summary>
    /// Forwards again: what a stall held back flows on; connections that lost data in a blackhole are reset (the
    /// client reconnects).
    /// </summary>
    public void Restore()
    {
        List<Link> frozen = [];
        lock (_gate)
        {
            _outage = null;
            _flowing.TrySetResult();
            foreach (var (id, link) in _links)
            {
                if (link.Frozen && _links.TryRemove(id, out _))
                {
                    frozen.Add(link);
                }
            }
        }

        frozen.ForEach(link => link.Reset());
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut(Outage.Refuse);
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

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        client.NoDelay = true;
        Outage? outage;
        lock (_gate)
        {
            outage = _outage;
        }

        if (outage != Outage.Refuse)
        {
            var upstream = new Socket(_upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
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

            var link = new Link(client, upstream);
            var id = Interlocked.Increment(ref _nextLink);
            lock (_gate)
            {
                if (_outage != Outage.Refuse)
                {
                    link.Frozen = _outage == Outage.Blackhole;
                    _links[id] = link;
                }
            }

            if (_links.ContainsKey(id))
            {
                await Task.WhenAny(PumpAsync(link, client, upstream), PumpAsync(link, upstream, client));
                if (_links.TryRemove(id, out _))
                {
                    link.Close();
                }

                return;
            }

            upstream.Dispose();
        }

        // A connection attempt while the database is down fails at once, like a refused connection.
        Interlocked.Increment(ref _refused);
        ResetAndClose(client);
    }

    private async Task PumpAsync(Link link, Socket from, Socket to)
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

                // In a blackhole the bytes are swallowed: the sender waits for an answer that never comes.
                if (!link.Frozen)
                {
                    await Volatile.Read(ref _flowing).Task.WaitAsync(_stopping.Token);
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Either side went away (or the proxy cut it): the link ends.
        }
    }

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
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
    private sealed class Link(Socket client, Socket upstream)
    {
        private volatile bool _frozen;

        public bool Frozen
        {
            get => _frozen;
            set => _frozen = value;
        }

        public void Reset()
        {
            ResetAndClose(client);
            ResetAndClose(upstream);
        }

        public void Close()
        {
            client.Dispose();
            upstream.Dispose();
        }
    }
}
