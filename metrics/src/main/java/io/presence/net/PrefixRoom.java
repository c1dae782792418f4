package io.presence.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;

/**
 * Receive buffers of a fixed size that start {@link #BYTES} bytes in, for connected datagram sockets whose datagrams
 * are usually sent on with a 4-byte header in front (a peer's datagram relayed to its client as ChannelData):
 * {@link DirectDatagrams#writePrefixed} then writes the header into the room and sends one contiguous datagram
 * ({@code write}) instead of gathering two pieces ({@code writev}). The room costs nothing else: the datagram is read
 * at the buffer's writer index, its reader index stays on the datagram's first byte.
 *
 * <p>Only for connected sockets: Netty's read of an unconnected datagram socket ({@code recvmsg}) sets the writer
 * index to the datagram's length, ignoring where the read started.
 */
public final class PrefixRoom extends DefaultMaxMessagesRecvByteBufAllocator {
    /** The room: a ChannelData header. */
    public static final int BYTES = 4;

    private final int datagramBytes;

    /**
     * @param datagramBytes   the largest datagram read whole (larger ones are cut, as by Netty's fixed allocator)
     * @param datagramsPerRead datagrams read per readiness event at most
     */
    public PrefixRoom(int datagramBytes, int datagramsPerRead) {
        super(datagramsPerRead);
        this.datagramBytes = datagramBytes;
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            @Override
            public ByteBuf allocate(ByteBufAllocator alloc) {
                ByteBuf buf = alloc.ioBuffer(BYTES + datagramBytes, BYTES + datagramBytes);
                return buf.setIndex(BYTES, BYTES);
            }

            @Override
            public int guess() {
                return BYTES + datagramBytes;
            }
        };
    }
}
