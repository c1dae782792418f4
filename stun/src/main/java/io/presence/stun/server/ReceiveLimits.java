package io.presence.stun.server;

/**
 * How the appliance reads UDP: the same for every datagram socket of the STUN port (the shared sockets and the client
 * sockets) and of the relay (relay sockets and peer sockets), so that a datagram is cut and counted the same way
 * whichever socket it reaches.
 */
public final class ReceiveLimits {
    /**
     * Receive buffer per datagram. WebRTC keeps packets below the path MTU (about 1,200–1,500 bytes), so 2 KiB holds
     * every real STUN message, ChannelData frame and relayed media packet; a longer datagram arrives cut (a STUN
     * message then fails to decode and is counted as {@code truncated}). Netty's datagram default too, made explicit
     * because it is a protocol limit here.
     */
    public static final int DATAGRAM_BYTES = 2048;
    /**
     * Datagrams read per readiness event before the loop turns to its other sockets and tasks. A
     * {@code FixedRecvByteBufAllocator} set as an option reads 1 unless told otherwise: one {@code epoll_wait} per
     * datagram, 160,000 more system calls than datagrams in a 150,000-message {@code uclient -c} run (perf stat), about
     * 7 % of the relay's CPU. 32 keeps a busy socket's batch short next to a relay loop's other sockets (Netty's
     * datagram default is 16; {@code recvmmsg} on top measured no better).
     */
    public static final int DATAGRAMS_PER_READ = 32;

    private ReceiveLimits() {
    }
}
