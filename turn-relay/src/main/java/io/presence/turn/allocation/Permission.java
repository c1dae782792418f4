package io.presence.turn.allocation;

import java.net.InetAddress;

/**
 * A permission (RFC 8656 §9): the peer IP address (ports do not matter) from which the allocation accepts,
 * and to which it sends, datagrams, until {@link #expiresAt()}. Owned by its allocation's {@link PermissionTable},
 * changed on the allocation's event loop only; the expiry is volatile because in-process hand-offs read it from other
 * loops.
 *
 * <p>It also keeps where its IP is ({@link #hostKind()}, judged once when it is made): the relay checks that on
 * every datagram, and a field read is all it may cost there.
 */
public final class Permission {
    private final InetAddress peer;
    private final OwnHost.Kind hostKind;
    private volatile long expiresAt;

    Permission(InetAddress peer, OwnHost.Kind hostKind, long expiresAt) {
        this.peer = peer;
        this.hostKind = hostKind;
        this.expiresAt = expiresAt;
    }

    public InetAddress peer() {
        return peer;
    }

    /** Whether the IP is this host's ({@link OwnHost}). */
    public OwnHost.Kind hostKind() {
        return hostKind;
    }

    public long expiresAt() {
        return expiresAt;
    }

    void refresh(long until) {
        expiresAt = until;
    }

    boolean live(long now) {
        return now < expiresAt;
    }

    /**
     * Whether a datagram between the relay and {@code port} of this IP must not go through the kernel: the IP is this
     * host's, and the port is not a loopback peer's ({@link OwnHost.Kind#LOOPBACK_PEER} outside the relay range). The
     * data path reads {@link #hostKind()} first, so that a peer elsewhere costs one comparison.
     */
    boolean ownHostPort(int port, OwnHost host) {
        return hostKind != OwnHost.Kind.ELSEWHERE && (hostKind == OwnHost.Kind.OWN || host.relayPort(port));
    }
}
