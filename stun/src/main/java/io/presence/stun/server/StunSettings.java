package io.presence.stun.server;

import io.presence.net.ConnectionLimits;
import io.presence.net.ReloadingSslContext;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of the STUN port. Immutable; validated on construction (impossible values throw, naming
 * the field). The appliance maps its configuration file onto this record; nothing here reads files.
 *
 * @param bindHost        address to bind UDP and TCP on ({@value #DEFAULT_BIND_HOST} = every interface)
 * @param port            UDP and TCP port; 0 picks a free one (tests)
 * @param tls             TLS listener (TURNS/STUNS), off unless configured
 * @param alternate       RFC 5780 other address (a second IP of this host and a second port); off unless
 *                        configured; needs a specific {@code bindHost}; three more UDP sockets are bound
 * @param maxFrameBytes   largest STUN message or ChannelData frame accepted on TCP/TLS
 * @param idleTimeout     TCP/TLS connections that send no complete frame for this long are closed, once a TURN request
 *                        on them has passed authentication (the server answered one with success)
 * @param software        value of a SOFTWARE attribute in responses; absent by default (it helps attackers
 *                        fingerprint the server and enlarges every response)
 * @param udpSockets      UDP sockets on the primary address, sharing the port with SO_REUSEPORT so that
 *                        several event loops take client traffic (the kernel keeps each client on one
 *                        socket); {@value #AUTO} = one per worker thread on epoll, one on NIO
 * @param clientSockets   most UDP clients at once with a socket of the STUN port of their own, connected to them
 *                        ({@link ClientSockets}: IPv4 clients, epoll, a specific IPv4 {@code bindHost}; the TURN
 *                        relay gives one to each allocation that relays data); 0 turns them off
 * @param connections     TCP and TLS connections at once, in total and per source (IPv4 address or IPv6 /64); the
 *                        excess is reset at accept
 * @param firstMessageTimeout a TCP/TLS connection must deliver its first well-formed STUN message within this of
 *                        connecting (TLS handshake included), and any later frame within this of its first byte
 * @param unauthenticatedIdleTimeout TCP/TLS connections that have had no TURN request authenticated (plain Binding
 *                        clients, clients still being challenged) are closed after this without a complete frame
 * @param tcpEnabled      whether the port also takes TCP (STUN/TURN over TCP); false serves UDP only. The TLS
 *                        listener is governed by {@code tls} alone.
 */
public record StunSettings(String bindHost, int port, Optional<Tls> tls, Optional<InetSocketAddress> alternate,
                           int maxFrameBytes, Duration idleTimeout, Optional<String> software, int udpSockets,
                           int clientSockets, ConnectionLimits connections, Duration firstMessageTimeout,
                           Duration unauthenticatedIdleTimeout, boolean tcpEnabled) {

    /** RFC 8489 §18.6 default port for STUN and TURN over UDP and TCP. */
    public static final int DEFAULT_PORT = 3478;
    /** RFC 8489 §18.6 default port for STUN and TURN over TLS. */
    public static final int DEFAULT_TLS_PORT = 5349;
    public static final String DEFAULT_BIND_HOST = "0.0.0.0";
    /**
     * Big enough for a full-size ChannelData frame (4 + 65535 bytes, padded); STUN messages from browsers
     * are a few hundred bytes. The cap bounds what one connection can make us buffer.
     */
    public static final int DEFAULT_MAX_FRAME_BYTES = 65_540;
    /** Longer than the TURN refresh interval (RFC 8656 default allocation lifetime, 10 minutes). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(11);
    /**
     * Total TCP/TLS connections by default: TURN over TCP is a fallback (most clients relay over UDP), and each
     * connection is a descriptor; the appliance derives its own cap from the process's descriptor limit.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /** Per source: an office or carrier NAT puts many clients behind one address, a flood needs thousands. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 256;
    /** A browser completes TCP, TLS and its first request in well under a second, even on a slow path. */
    public static final Duration DEFAULT_FIRST_MESSAGE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A Binding client or a client between a 401 and its authenticated retry needs no long silence; an authenticated
     * TURN client refreshes its allocation and gets {@link #DEFAULT_IDLE_TIMEOUT}.
     */
    public static final Duration DEFAULT_UNAUTHENTICATED_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** {@link #udpSockets()}: decide from the event loops. */
    public static final int AUTO = 0;
    /** More sockets than this would only add wake-ups. */
    public static final int MAX_UDP_SOCKETS = 64;
    /**
     * {@link #clientSockets()} by default: one descriptor each, beside the allocation's relay socket, so 4,096
     * allocations relaying data take ≈ 8,200 descriptors of the process's limit.
     */
    public static final int DEFAULT_CLIENT_SOCKETS = 4096;

    /** A TLS listener: PEM certificate chain and PKCS#8 PEM private key. */
    public record Tls(int port, Path certificateChain, Path privateKey, Duration reloadCheck) {
        public Tls {
            checkPort("tls.port", port);
            Objects.requireNonNull(certificateChain, "tls.certificateChain");
            Objects.requireNonNull(privateKey, "tls.privateKey");
            Objects.requireNonNull(reloadCheck, "tls.reloadCheck");
            if (reloadCheck.isNegative() || reloadCheck.isZero()) {
                throw new IllegalArgumentException("tls.reloadCheck must be positive, not " + reloadCheck);
            }
        }

        /** Files looked at for a renewed certificate every {@link ReloadingSslContext#DEFAULT_CHECK}. */
        public Tls(int port, Path certificateChain, Path privateKey) {
            this(port, certificateChain, privateKey, ReloadingSslContext.DEFAULT_CHECK);
        }
    }

    public StunSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        checkPort("port", port);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(alternate, "alternate");
        Objects.requireNonNull(software, "software");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(firstMessageTimeout, "firstMessageTimeout");
        Objects.requireNonNull(unauthenticatedIdleTimeout, "unauthenticatedIdleTimeout");
        if (maxFrameBytes < 548 || maxFrameBytes > DEFAULT_MAX_FRAME_BYTES) {
            // RFC 8489 §6.1: every agent must take 548-byte messages.
            throw new IllegalArgumentException("maxFrameBytes must be 548.." + DEFAULT_MAX_FRAME_BYTES
                    + ", not " + maxFrameBytes);
        }
        if (udpSockets < 0 || udpSockets > MAX_UDP_SOCKETS) {
            throw new IllegalArgumentException("udpSockets must be 0 (auto).." + MAX_UDP_SOCKETS + ", not " + udpSockets);
        }
        if (clientSockets < 0) {
            throw new IllegalArgumentException("clientSockets must be 0 (off) or more, not " + clientSockets);
        }
        positive("idleTimeout", idleTimeout);
        positive("firstMessageTimeout", firstMessageTimeout);
        positive("unauthenticatedIdleTimeout", unauthenticatedIdleTimeout);
        alternate.ifPresent(a -> checkAlternate(bindHost, port, a));
        if (software.isPresent() && software.get().isEmpty()) {
            software = Optional.empty();
        }
    }

    /** RFC 5780 needs a second IP and a second port, and a specific primary IP to tell them apart. */
    private static void checkAlternate(String bindHost, int port, InetSocketAddress a) {
        if (a.isUnresolved() || a.getPort() == 0) {
            throw new IllegalArgumentException("alternate must be a resolved address with a port: " + a);
        }
        InetAddress primary;
        try {
            primary = InetAddress.getByName(bindHost);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bindHost " + bindHost + " does not resolve", e);
        }
        if (primary.isAnyLocalAddress()) {
            throw new IllegalArgumentException("alternate needs bindHost to be one address, not " + bindHost);
        }
        if (primary.equals(a.getAddress()) || primary.getClass() != a.getAddress().getClass()) {
            throw new IllegalArgumentException("alternate IP must differ from bindHost, same family: " + a);
        }
        if (a.getPort() == port) {
            throw new IllegalArgumentException("alternate port must differ from port: " + a);
        }
    }

    private static void positive(String field, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, not " + d);
        }
    }

    private static void checkPort(String field, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(field + " must be 0..65535, not " + port);
        }
    }

    public static StunSettings defaults() {
        return new StunSettings(DEFAULT_BIND_HOST, DEFAULT_PORT, Optional.empty(), Optional.empty(),
                DEFAULT_MAX_FRAME_BYTES, DEFAULT_IDLE_TIMEOUT, Optional.empty(), AUTO, DEFAULT_CLIENT_SOCKETS,
                new ConnectionLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_SOURCE),
                DEFAULT_FIRST_MESSAGE_TIMEOUT, DEFAULT_UNAUTHENTICATED_IDLE_TIMEOUT, true);
    }

    /** Loopback, free ports: for tests. */
    public static StunSettings loopbackEphemeral() {
        return defaults().withBind("127.0.0.1", 0);
    }

    public StunSettings withBind(String host, int newPort) {
        return new StunSettings(host, newPort, tls, alternate, maxFrameBytes, idleTimeout, software, udpSockets,
                clientSockets, connections, firstMessageTimeout, unauthenticatedIdleTimeout, tcpEnabled);
    }

    public StunSettings withTls(Tls newTls) {
        return new StunSettings(bindHost, port, Optional.of(newTls), alternate, maxFrameBytes, idleTimeout, software,
                udpSockets, clientSockets, connections, firstMessageTimeout, unauthenticatedIdleTimeout, tcpEnabled);
    }

    public StunSettings withAlternate(InetSocketAddress newAlternate) {
        return new StunSettings(bindHost, port, tls, Optional.of(newAlternate), maxFrameBytes, idleTimeout, software,
                udpSockets, clientSockets, connections, firstMessageTimeout, unauthenticatedIdleTimeout, tcpEnabled);
    }

    public StunSettings withMaxFrameBytes(int bytes) {
        return new StunSettings(bindHost, port, tls, alternate, bytes, idleTimeout, software, udpSockets, clientSockets,
                connections, firstMessageTimeout, unauthenticatedIdleTimeout, tcpEnabled);
    }

    public StunSettings withUdpSockets(int count) {
        return new StunSettings(bindHost, port, tls, alternate, maxFrameBytes, idleTimeout, software, count,
                clientSockets, connections, firstMessageTimeout, unauthenticatedIdleTimeout, tcpEnabled);
    }

    public StunSettings withClientSockets(int max) {
        return new StunSettings(bindHost, port, tls, alternate, maxFrameBytes, idleTimeout, software, udpSockets, max,
                connections, firstMessageTimeout, unauthenticatedIdleTimeout, tcpEnabled);
    }

    public StunSettings withSoftware(String value) {
        return new StunSettings(bindHost, port, tls, alternate, maxFrameBytes, idleTimeout, Optional.ofNullable(value),
                udpSockets, clientSockets, connections, firstMessageTimeout, unauthenticatedIdleTimeout, tcpEnabled);
    }

    public StunSettings withConnections(ConnectionLimits limits) {
        return new StunSettings(bindHost, port, tls, alternate, maxFrameBytes, idleTimeout, software, udpSockets,
                clientSockets, limits, firstMessageTimeout, unauthenticatedIdleTimeout, tcpEnabled);
    }

    /**
     * @param firstMessage     {@link #firstMessageTimeout()}
     * @param unauthenticated  {@link #unauthenticatedIdleTimeout()}
     * @param authenticated    {@link #idleTimeout()}
     */
    public StunSettings withTimeouts(Duration firstMessage, Duration unauthenticated, Duration authenticated) {
        return new StunSettings(bindHost, port, tls, alternate, maxFrameBytes, authenticated, software, udpSockets,
                clientSockets, connections, firstMessage, unauthenticated, tcpEnabled);
    }

    /** The same port without (false) or with its TCP listener. */
    public StunSettings withTcp(boolean enabled) {
        return new StunSettings(bindHost, port, tls, alternate, maxFrameBytes, idleTimeout, software, udpSockets,
                clientSockets, connections, firstMessageTimeout, unauthenticatedIdleTimeout, enabled);
    }
}
