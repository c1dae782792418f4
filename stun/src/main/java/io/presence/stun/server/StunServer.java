package io.presence.stun.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.presence.net.ConnectionGate;
import io.presence.net.ListenerBindException;
import io.presence.net.NetStack;
import io.presence.net.ReloadingSslContext;
import io.presence.stun.codec.StunFrameDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The STUN port: UDP and TCP on one address (3478 by default), plus TLS when a certificate is configured.
 * Binding requests are answered here; everything else — TURN methods, Send indications, ChannelData — goes
 * to the {@link StunExtension} (the TURN relay), demultiplexed by {@link StunDispatcher}.
 *
 * <pre>{@code
 * StunServer server = new StunServer(settings, netStack, new StunMetrics(registry), turnExtension).start();
 * InetSocketAddress udp = server.udpAddress();
 * ...
 * server.close();
 * }</pre>
 *
 * <p>Uses the shared {@link NetStack}'s event loops; never creates its own. {@link #start()} once;
 * {@link #close()} is idempotent and closes every socket it opened. Thread-safe.
 *
 * <p>Pipelines, top to bottom — UDP: {@code DatagramStunHandler}; TCP/TLS: [{@code SslHandler}] →
 * {@code StreamDeadlines} → {@link StunFrameDecoder} → {@code StreamStunHandler}. TCP and TLS share one
 * {@link ConnectionGate} ({@link StunSettings#connections()}): connections over its caps are reset at accept.
 */
public final class StunServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StunServer.class);
    /**
     * With port 0, UDP picks a port and TCP must get the same one; another socket may hold it. On a host with
     * thousands of TCP connections open, half the ephemeral range can be taken: twenty tries fail about once in a
     * million starts, and each costs two binds.
     */
    private static final int EPHEMERAL_BIND_ATTEMPTS = 20;
    /**
     * Socket buffers for bursts at high packet rates; the kernel caps them at net.core.[rw]mem_max. A cap, not an
     * allocation. 4 MB ≈ 4,000 small datagrams ≈ 80 ms of the TURN benchmark's 50,000/s per socket: with 1 MB a
     * pause of the event loop (a GC, the machine busy) lost 1.3 % of one run's datagrams in the queue.
     */
    private static final int UDP_SOCKET_BUFFER_BYTES = 4 << 20;
    /**
     * IPPROTO_IPV6 (41) / IPV6_V6ONLY (26) on Linux, which Netty names no option for: the IPv6 socket beside the
     * IPv4 wildcard ones takes IPv6 datagrams only, so that IPv4 keeps its own sockets untouched.
     */
    private static final ChannelOption<Integer> IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

    private final StunSettings settings;
    private final NetStack net;
    private final StunMetrics metrics;
    private final StunExtension extension;
    private final StunDispatcher dispatcher;
    private final ClientSockets clients;
    private final ConnectionGate gate;
    private final List<Channel> channels = new ArrayList<>();
    private final OtherAddresses otherAddresses = new OtherAddresses();
    private InetSocketAddress udpAddress;
    private InetSocketAddress udpAddressV6;
    private InetSocketAddress tcpAddress;
    private InetSocketAddress tlsAddress;
    private ReloadingSslContext tlsContext;
    private int boundUdpSockets;
    private boolean started;
    private boolean closed;

    /** A Binding-only server (no TURN), with meters in {@code registry}. */
    public StunServer(StunSettings settings, NetStack net, MeterRegistry registry) {
        this(settings, net, new StunMetrics(registry), StunExtension.NONE);
    }

    public StunServer(StunSettings settings, NetStack net, StunMetrics metrics, StunExtension extension) {
        this.settings = settings;
        this.net = net;
        this.metrics = metrics;
        this.extension = extension;
        this.gate = new ConnectionGate("stun", settings.connections(), metrics.registry());
        this.dispatcher = new StunDispatcher(new BindingService(metrics, settings.software()), extension, metrics);
        // RFC 5780's other sockets answer for the primary one (CHANGE-REQUEST): a client socket could not.
        this.clients = settings.clientSockets() > 0 && net.isEpoll() && settings.alternate().isEmpty()
                ? new ClientSockets(settings.clientSockets(), dispatcher, metrics) : null;
    }

    /**
     * Binds UDP and TCP (and TLS when configured). Blocks until bound; on failure closes whatever was
     * bound and throws. Returns this.
     */
    public synchronized StunServer start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            if (settings.tls().isPresent()) {
                StunSettings.Tls t = settings.tls().get();
                tlsContext = new ReloadingSslContext(t.certificateChain(), t.privateKey());
                tlsContext.watch(net.workers().next(), t.reloadCheck());
            }
            bindUdpAndTcp();
            settings.alternate().ifPresent(this::bindOtherAddresses);
            if (tlsContext != null) {
                Channel tls = ListenerBindException.bind("tls", serverBootstrap(tlsContext, StunTransport.TLS),
                        settings.bindHost(), settings.tls().get().port());
                channels.add(tls);
                tlsAddress = (InetSocketAddress) tls.localAddress();
            }
        } catch (ListenerBindException e) {
            close();
            throw e;
        } catch (Exception e) { // Netty rethrows a BindException from sync() without declaring it
            close();
            throw new IllegalStateException("cannot start the STUN port on " + settings.bindHost() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
        log.info("STUN listening on udp {} (×{}){} tcp {}{}", udpAddress, boundUdpSockets,
                udpAddressV6 == null ? "" : " and " + udpAddressV6, tcpAddress == null ? "off" : tcpAddress,
                tlsAddress == null ? "" : " tls " + tlsAddress);
        return this;
    }

    private void bindUdpAndTcp() throws UnknownHostException {
        int sockets = udpSocketCount();
        Exception last = null;
        int attempts = settings.port() == 0 ? EPHEMERAL_BIND_ATTEMPTS : 1;
        for (int i = 0; i < attempts; i++) {
            Channel udp = ListenerBindException.bind("udp", primaryUdpBootstrap(sockets, bindAddress()),
                    settings.bindHost(), settings.port());
            int port = ((InetSocketAddress) udp.localAddress()).getPort();
            Channel tcp = null;
            if (settings.tcpEnabled()) {
                try {
                    tcp = ListenerBindException.bind("tcp", serverBootstrap(null, StunTransport.TCP),
                            settings.bindHost(), port);
                } catch (Exception e) {
                    udp.close().syncUninterruptibly();
                    last = e;
                    continue;
                }
            }
            // The primary UDP socket first: the RFC 5780 set-up takes it as channels.get(0).
            channels.add(udp);
            udpAddress = (InetSocketAddress) udp.localAddress();
            if (tcp != null) {
                channels.add(tcp);
                tcpAddress = (InetSocketAddress) tcp.localAddress();
            }
            // The others join the port the first one got; each registers on the group's next event loop.
            for (int s = 1; s < sockets; s++) {
                channels.add(primaryUdpBootstrap(sockets, udpAddress.getAddress()).bind(udpAddress).syncUninterruptibly().channel());
            }
            boundUdpSockets = sockets;
            if (bindAddress() instanceof Inet4Address v4 && v4.isAnyLocalAddress()) {
                bindIpv6Udp(port);
            }
            return;
        }
        throw last instanceof ListenerBindException taken ? taken : new IllegalStateException("TCP port taken", last);
    }

    /**
     * Every interface means both families: the IPv4 wildcard sockets serve IPv4 as they are (AF_INET, several with
     * SO_REUSEPORT, client sockets), and one IPv6-only socket on {@code [::]} beside them serves IPv6. (TCP needs
     * nothing: Netty's stream sockets are dual-stack and take both on the IPv4 wildcard.) Without epoll the option
     * cannot be set, and the IPv6 socket would clash with the IPv4 one: IPv6 over UDP is then left out, with a warning.
     */
    private void bindIpv6Udp(int port) {
        if (!net.isEpoll()) {
            log.warn("STUN over UDP on IPv6 needs the epoll transport; answering IPv4 only");
            return;
        }
        InetSocketAddress any6 = new InetSocketAddress(anyIpv6(), port);
        try {
            Channel udp6 = udpBootstrap(any6.getAddress()).option(IPV6_V6ONLY, 1)
                    .handler(new DatagramStunHandler(dispatcher, (ClientSockets) null))
                    .bind(any6).syncUninterruptibly().channel();
            channels.add(udp6);
            udpAddressV6 = (InetSocketAddress) udp6.localAddress();
        } catch (Exception e) { // no IPv6 on this host, or the port taken on IPv6 only
            log.warn("STUN over UDP not served on IPv6 (port {}): {}", port, e.toString());
        }
    }

    private static InetAddress anyIpv6() {
        try {
            return InetAddress.getByAddress(new byte[16]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private int udpSocketCount() {
        int workers = 0;
        for (var ignored : net.workers()) {
            workers++;
        }
        int wanted = settings.udpSockets() == StunSettings.AUTO ? workers : settings.udpSockets();
        if (wanted > 1 && !net.isEpoll()) {
            log.warn("{} UDP sockets need SO_REUSEPORT (epoll); using one", wanted);
            return 1;
        }
        return Math.max(1, wanted);
    }

    private Bootstrap primaryUdpBootstrap(int sockets, InetAddress local) {
        Bootstrap b = udpBootstrap(local).handler(settings.alternate().isPresent()
                ? new DatagramStunHandler(dispatcher, otherAddresses, 0, 0)
                : new DatagramStunHandler(dispatcher, clients));
        // Client sockets join the port with SO_REUSEPORT, which the kernel allows only if every socket has it.
        return sockets > 1 || clients != null ? b.option(EpollChannelOption.SO_REUSEPORT, true) : b;
    }

    /** RFC 5780: the primary socket plus (primary IP, other port), (other IP, primary port), (other, other). */
    private void bindOtherAddresses(InetSocketAddress alternate) {
        Channel primary = channels.get(0);
        InetSocketAddress p = (InetSocketAddress) primary.localAddress();
        otherAddresses.set(0, 0, primary);
        InetSocketAddress[][] where = {
                {null, new InetSocketAddress(p.getAddress(), alternate.getPort())},
                {new InetSocketAddress(alternate.getAddress(), p.getPort()), alternate}};
        for (int ip = 0; ip < 2; ip++) {
            for (int port = 0; port < 2; port++) {
                if (ip == 0 && port == 0) {
                    continue;
                }
                Channel ch = ListenerBindException.bind("alternate", udpBootstrap(where[ip][port].getAddress())
                        .handler(new DatagramStunHandler(dispatcher, otherAddresses, ip, port)), where[ip][port]);
                channels.add(ch);
                otherAddresses.set(ip, port, ch);
            }
        }
        otherAddresses.complete();
    }

    private InetAddress bindAddress() throws UnknownHostException {
        return InetAddress.getByName(settings.bindHost());
    }

    private Bootstrap udpBootstrap(InetAddress local) {
        return new Bootstrap().group(net.workers()).channelFactory(net.datagramChannel(local))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(ReceiveLimits.DATAGRAM_BYTES)
                        .maxMessagesPerRead(ReceiveLimits.DATAGRAMS_PER_READ))
                .option(ChannelOption.SO_RCVBUF, UDP_SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, UDP_SOCKET_BUFFER_BYTES);
    }

    /** {@code tls} null: plain TCP. Each TLS connection takes the certificate current when it arrives. */
    private ServerBootstrap serverBootstrap(ReloadingSslContext tls, StunTransport transport) {
        return new ServerBootstrap().group(net.acceptors(), net.workers()).channel(net.serverSocketChannel())
                .handler(gate)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast("tls", tls.current().newHandler(ch.alloc()));
                        }
                        StunFrameDecoder framer = new StunFrameDecoder(settings.maxFrameBytes());
                        StreamDeadlines deadlines = new StreamDeadlines(settings, framer, metrics);
                        p.addLast("deadlines", deadlines);
                        p.addLast("framer", framer);
                        p.addLast("stun", new StreamStunHandler(dispatcher, extension, metrics, transport, deadlines));
                    }
                });
    }

    /** Where UDP is bound (after {@link #start()}); with several sockets, they all share this address. */
    public synchronized InetSocketAddress udpAddress() {
        return udpAddress;
    }

    /** The IPv6 UDP socket bound beside the IPv4 ones when {@code bindHost} is the IPv4 wildcard, if any. */
    public synchronized Optional<InetSocketAddress> udpAddressIpv6() {
        return Optional.ofNullable(udpAddressV6);
    }

    /** The UDP sockets bound (after {@link #start()}): the primary ones and any RFC 5780 others. For tests. */
    synchronized List<Channel> udpChannels() {
        return channels.stream().filter(ch -> ch instanceof DatagramChannel).toList();
    }

    /** Client sockets open now (0 when they are off). */
    public int clientSocketsOpen() {
        return clients == null ? 0 : clients.open();
    }

    /** Where TCP is bound (after {@link #start()}); null when {@link StunSettings#tcpEnabled()} is false. */
    public synchronized InetSocketAddress tcpAddress() {
        return tcpAddress;
    }

    /** The RFC 5780 other address (alternate IP and port) as bound, when configured. */
    public synchronized Optional<InetSocketAddress> otherAddress() {
        return settings.alternate().isPresent() && udpAddress != null
                ? Optional.of(otherAddresses.address(1, 1)) : Optional.empty();
    }

    /** Where TLS is bound, when configured (after {@link #start()}). */
    public synchronized Optional<InetSocketAddress> tlsAddress() {
        return Optional.ofNullable(tlsAddress);
    }

    /** How many UDP sockets share the primary address (for tests and the startup log). */
    synchronized int boundUdpSockets() {
        return boundUdpSockets;
    }

    /** The TCP/TLS connection gate (its counts, for tests and the appliance). */
    public ConnectionGate connectionGate() {
        return gate;
    }

    public StunMetrics metrics() {
        return metrics;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (tlsContext != null) {
            tlsContext.close();
        }
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        channels.clear();
    }
}
