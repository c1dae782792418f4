package io.presence.net;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Admits accepted TCP connections within {@link ConnectionLimits}: a total and a per-source cap. Install it as the
 * server channel's handler ({@code ServerBootstrap.handler(gate)}): it sees each accepted connection before Netty
 * registers it, so a refused one never gets a pipeline, a buffer or a timer — it is reset (SO_LINGER 0) and its
 * descriptor freed on the acceptor thread at once, and counted in {@code presence_connections_refused_total} by
 * listener and reason. An admitted one is released when it closes.
 *
 * <p>Several server channels may share one gate (the STUN port's TCP and TLS listeners; signaling's WebSocket and
 * TCP ones): the caps then hold for them together.
 *
 * <p>Thread-safe: admissions run on acceptor threads, releases on the connections' loops; both take the gate's lock,
 * once per connection, never per read.
 */
@ChannelHandler.Sharable
public final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    /** Refusals are logged at most this often per gate; the counter has them all. */
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    /** Why a connection was refused: the {@code reason} label. */
    public enum Refusal {
        TOTAL("total"), PER_SOURCE("per_source");

        private final String label;

        Refusal(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final String listener;
    private final ConnectionLimits limits;
    private final Counter[] refused = new Counter[Refusal.values().length];
    private final Map<InetAddress, int[]> perSource = new HashMap<>();
    private int open;
    private long lastLog = System.nanoTime() - LOG_EVERY_NANOS;

    /**
     * @param listener the {@code listener} label: {@code stun}, {@code signaling}, {@code admin}
     */
    public ConnectionGate(String listener, ConnectionLimits limits, MeterRegistry registry) {
        this.listener = listener;
        this.limits = limits;
        for (Refusal r : Refusal.values()) {
            refused[r.ordinal()] = Counter.builder("presence.connections.refused")
                    .description("TCP/TLS connections reset at accept because a connection cap was reached")
                    .tag("listener", listener).tag("reason", r.label()).register(registry);
        }
        Gauge.builder("presence.listener.connections", this, ConnectionGate::open)
                .description("TCP/TLS connections a listener holds now, against its connection cap")
                .tag("listener", listener).register(registry);
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Connections admitted and not yet closed. */
    public synchronized int open() {
        return open;
    }

    /** Connections admitted from {@code address}'s source (its /64 for IPv6) and not yet closed. */
    public synchronized int openFrom(InetAddress address) {
        int[] n = perSource.get(source(address));
        return n == null ? 0 : n[0];
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Channel child)) {
            ctx.fireChannelRead(msg);
            return;
        }
        InetAddress source = child.remoteAddress() instanceof InetSocketAddress a ? source(a.getAddress()) : null;
        Refusal refusal = admit(source);
        if (refusal != null) {
            refuse(child, refusal);
            return;
        }
        child.closeFuture().addListener(closed -> release(source));
        ctx.fireChannelRead(child);
    }

    /** Null when admitted (and counted), else why not. */
    synchronized Refusal admit(InetAddress source) {
        if (open >= limits.maxConnections()) {
            return Refusal.TOTAL;
        }
        if (source != null) {
            int[] n = perSource.computeIfAbsent(source, s -> new int[1]);
            if (n[0] >= limits.maxPerSource()) {
                return Refusal.PER_SOURCE;
            }
            n[0]++;
        }
        open++;
        return null;
    }

    synchronized void release(InetAddress source) {
        open--;
        if (source != null) {
            int[] n = perSource.get(source);
            if (n != null && --n[0] <= 0) {
                perSource.remove(source);
            }
        }
    }

    private void refuse(Channel child, Refusal refusal) {
        refused[refusal.ordinal()].increment();
        try {
            // A reset instead of a FIN: no TIME_WAIT, and the client learns at once.
            child.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            // Closing matters, the reset does not.
        }
        child.unsafe().closeForcibly();
        long now = System.nanoTime();
        boolean logIt;
        synchronized (this) {
            logIt = now - lastLog >= LOG_EVERY_NANOS;
            if (logIt) {
                lastLog = now;
            }
        }
        if (logIt) {
            log.warn("{} listener refusing connections: {} cap reached ({} open, caps {} in total and {} per source)",
                    listener, refusal.label(), open(), limits.maxConnections(), limits.maxPerSource());
        }
    }

    /** The unit a per-source cap counts: the IPv4 address, or the /64 of an IPv6 one. */
    static InetAddress source(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always an address
        }
    }
}
