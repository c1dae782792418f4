package io.presence.stun.server;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/**
 * The four UDP sockets of RFC 5780 (primary/alternate IP × primary/alternate port), so a Binding
 * response can leave from the socket a CHANGE-REQUEST asks for, and name the others. Index 0 is primary,
 * 1 alternate. Filled once by {@link StunServer#start()} before any datagram is read; read-only after.
 */
final class OtherAddresses {
    private final Channel[][] channels = new Channel[2][2];
    // Until every socket is bound, the primary one may already get requests: they are answered plainly.
    private volatile boolean complete;

    void set(int ip, int port, Channel channel) {
        channels[ip][port] = channel;
    }

    void complete() {
        complete = true;
    }

    boolean isComplete() {
        return complete;
    }

    Channel channel(int ip, int port) {
        return channels[ip][port];
    }

    InetSocketAddress address(int ip, int port) {
        return (InetSocketAddress) channels[ip][port].localAddress();
    }
}
