package io.presence.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The receive buffer of one connected datagram socket of the relay's hot path (a client socket, a peer socket):
 * one buffer, read into again as soon as nobody else holds it. The relay sends a datagram on before the read that
 * brought it returns, so it usually is free again at the next read — and at the read that ends each readiness event
 * with nothing to read, which would otherwise take a buffer from the allocator only to give it back. While someone
 * still holds it (a datagram queued behind a full send buffer, handed to another event loop), the next read gets a
 * new buffer and this one is left to its holder. Measured: a buffer from Netty's adaptive allocator per read was
 * 1.8 % of the relay's CPU samples under {@code uclient -c}.
 *
 * <p>Optionally the datagram is read {@code room} bytes into the buffer, for sockets whose datagrams are usually sent
 * on with a header in front (a peer's datagram relayed to its client as ChannelData): {@link
 * DirectDatagrams#writePrefixed} then writes the header there and sends one contiguous datagram ({@code write})
 * instead of two pieces ({@code writev}). The reader index stays on the datagram's first byte.
 *
 * <p>One per socket ({@link #install}), used on its event loop, given up when the socket closes. Only for connected
 * sockets: Netty's read of an unconnected datagram socket ({@code recvmsg}) sets the writer index to the datagram's
 * length, ignoring where the read started.
 */
public final class ReceiveBuffer extends DefaultMaxMessagesRecvByteBufAllocator {
    /** Per event loop: the buffer last handed to a read, while its datagram goes through the pipeline. */
    private static final FastThreadLocal<ByteBuf> READING = new FastThreadLocal<>();

    private final int room;
    private final int capacity;
    private ByteBuf buffer; // on the loop; this object's reference

    /**
     * @param room             bytes left free in front of each datagram
     * @param datagramBytes    the largest datagram read whole (larger ones are cut, as by Netty's fixed allocator)
     * @param datagramsPerRead datagrams read per readiness event at most
     */
    private ReceiveBuffer(int room, int datagramBytes, int datagramsPerRead) {
        super(datagramsPerRead);
        this.room = room;
        this.capacity = room + datagramBytes;
    }

    /**
     * Makes a receive buffer {@code ch}'s, before its first read, and gives it up once {@code ch} is closed. Returns
     * it.
     */
    public static ReceiveBuffer install(Channel ch, int room, int datagramBytes, int datagramsPerRead) {
        ReceiveBuffer buffer = new ReceiveBuffer(room, datagramBytes, datagramsPerRead);
        ch.config().setRecvByteBufAllocator(buffer);
        ch.closeFuture().addListener(closed -> buffer.release());
        return buffer;
    }

    /** Gives up the buffer (its holders keep theirs). On the socket's loop, once the socket is closed. */
    void release() {
        if (buffer != null) {
            if (READING.getIfExists() == buffer) {
                // Once freed, the buffer object may be recycled for someone else's data.
                READING.set(null);
            }
            buffer.release();
            buffer = null;
        }
    }

    /** The buffer for the next read: this one again when only this object holds it, else a new one. */
    private ByteBuf next(ByteBufAllocator alloc) {
        if (buffer == null || buffer.refCnt() != 1) {
            release();
            buffer = alloc.ioBuffer(capacity, capacity);
        }
        READING.set(buffer);
        return buffer.retain().setIndex(room, room);
    }

    /**
     * The references to {@code buf} other than a receive buffer's own: a datagram being handled on the loop that
     * read it holds one more than its reader sees. On any thread.
     */
    public static int holders(ByteBuf buf) {
        int n = buf.refCnt();
        return READING.getIfExists() == buf ? n - 1 : n;
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            @Override
            public ByteBuf allocate(ByteBufAllocator alloc) {
                return next(alloc);
            }

            @Override
            public int guess() {
                return capacity;
            }
        };
    }
}
