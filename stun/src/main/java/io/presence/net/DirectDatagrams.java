package io.presence.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.IovArray;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Sends one datagram from its channel's event loop straight to the socket ({@code sendto}/{@code sendmsg}),
 * skipping the pipeline, the outbound buffer and the flush: the relay's hot path sends one datagram per datagram
 * received, and a {@link DatagramPacket}, an outbound-buffer entry and a flush per datagram were a measurable
 * share of its CPU (perf, {@code uclient -y}).
 *
 * <p>Falls back to {@code writeAndFlush} whenever the direct send cannot be done right now, so ordering,
 * back-pressure and error reporting behave as before: not an epoll channel, not on the channel's loop,
 * earlier writes still queued, a buffer without a memory address, an empty datagram (a 0 from {@code sendto}
 * would be ambiguous; Netty's write skips it), or a full send buffer (EAGAIN: the datagram is queued and sent when
 * the socket becomes writable). A send error is reported like a failed void-promise write: {@code exceptionCaught}
 * on the pipeline, the datagram dropped.
 */
public final class DirectDatagrams {
    /** The prefix of {@link #sendPrefixed}/{@link #writePrefixed}: a ChannelData header. */
    public static final int PREFIX_BYTES = 4;
    /** Per event loop: the 4-byte prefix and the two-entry iovec of {@link #sendPrefixed}. Reused at once. */
    private static final FastThreadLocal<Gather> GATHER = new FastThreadLocal<>() {
        @Override
        protected Gather initialValue() {
            return new Gather();
        }

        @Override
        protected void onRemoval(Gather g) {
            g.release();
        }
    };

    private DirectDatagrams() {
    }

    /** Sends {@code datagram} to {@code to} through {@code ch}. Takes ownership of the buffer. Any thread. */
    public static void send(Channel ch, ByteBuf datagram, InetSocketAddress to) {
        Socket socket = directSocket(ch, datagram);
        if (socket != null) {
            try {
                if (socket.sendToAddress(datagram.memoryAddress(), datagram.readerIndex(), datagram.writerIndex(),
                        to.getAddress(), to.getPort()) > 0) {
                    datagram.release();
                    return;
                }
                // 0: EAGAIN. The outbound buffer waits for EPOLLOUT.
            } catch (IOException e) {
                datagram.release();
                ch.pipeline().fireExceptionCaught(e);
                return;
            }
        }
        ch.writeAndFlush(new DatagramPacket(datagram, to), ch.voidPromise());
    }

    /**
     * Sends one datagram made of the 4 bytes of {@code prefix} (big-endian) followed by {@code body}: a ChannelData
     * header and its payload. The prefix goes into the 4 bytes in front of the body when they are free
     * ({@link #roomInFront}): one contiguous datagram. Otherwise the kernel gathers the two from where they are
     * ({@code sendmsg} with two iovecs) instead of a copy into a new buffer; the fallback copies them into one.
     * Takes ownership of {@code body}. Any thread.
     */
    public static void sendPrefixed(Channel ch, int prefix, ByteBuf body, InetSocketAddress to) {
        if (roomInFront(body)) {
            send(ch, prefixed(prefix, body), to);
            return;
        }
        Socket socket = directSocket(ch, body);
        Gather g = socket == null ? null : Gather.of(prefix, body);
        if (g != null) {
            try {
                if (socket.sendToAddresses(g.iov.memoryAddress(0), g.iov.count(), to.getAddress(), to.getPort()) > 0) {
                    body.release();
                    return;
                }
            } catch (IOException e) {
                body.release();
                ch.pipeline().fireExceptionCaught(e);
                return;
            }
        }
        ch.writeAndFlush(new DatagramPacket(copied(ch, prefix, body), to), ch.voidPromise());
    }

    /**
     * Sends {@code datagram} through {@code ch}, a connected datagram channel, to its remote address: {@code write}
     * instead of {@code sendto}, so the kernel uses the socket's cached route instead of looking one up per
     * datagram. Takes ownership of the buffer. Any thread.
     */
    public static void write(Channel ch, ByteBuf datagram) {
        Socket socket = directSocket(ch, datagram);
        if (socket == null || !writeDirect(ch, socket, datagram, null)) {
            ch.writeAndFlush(datagram, ch.voidPromise());
        }
    }

    /** {@link #sendPrefixed} through a connected channel, to its remote address ({@code writev}). */
    public static void writePrefixed(Channel ch, int prefix, ByteBuf body) {
        if (roomInFront(body)) {
            write(ch, prefixed(prefix, body));
            return;
        }
        Socket socket = directSocket(ch, body);
        Gather g = socket == null ? null : Gather.of(prefix, body);
        if (g == null || !writeDirect(ch, socket, body, g)) {
            ch.writeAndFlush(copied(ch, prefix, body), ch.voidPromise());
        }
    }

    /**
     * One {@code write} of {@code owned} ({@code gathered} null) or {@code writev} of {@code gathered} on a connected
     * socket, made once more after a {@link #refused} report. True when done with {@code owned}: sent, or failed and
     * reported, released either way; false on EAGAIN (nothing sent, the buffer still the caller's).
     */
    private static boolean writeDirect(Channel ch, Socket socket, ByteBuf owned, Gather gathered) {
        for (int attempt = 0; ; attempt++) {
            try {
                long sent = gathered == null
                        ? socket.writeAddress(owned.memoryAddress(), owned.readerIndex(), owned.writerIndex())
                        : socket.writevAddresses(gathered.iov.memoryAddress(0), gathered.iov.count());
                if (sent <= 0) {
                    return false;
                }
                owned.release();
                return true;
            } catch (IOException e) {
                if (attempt == 0 && refused(e)) {
                    continue;
                }
                owned.release();
                ch.pipeline().fireExceptionCaught(e);
                return true;
            }
        }
    }

    /**
     * Whether the 4 bytes in front of {@code body}'s reader index are the caller's to overwrite: room left by the
     * receive ({@link ReceiveBuffer}) or a header already read past (a client's ChannelData handed to another
     * client). They are when the buffer is a buffer of its own, not a view of another's memory, and the caller holds
     * its only reference besides its receive buffer's — what the caller hands over with the send.
     */
    private static boolean roomInFront(ByteBuf body) {
        return body.readerIndex() >= PREFIX_BYTES && body.unwrap() == null && ReceiveBuffer.holders(body) == 1;
    }

    /** {@code body} with {@code prefix} written into the 4 bytes in front of it ({@link #roomInFront}). */
    private static ByteBuf prefixed(int prefix, ByteBuf body) {
        int start = body.readerIndex() - PREFIX_BYTES;
        body.setInt(start, prefix);
        return body.readerIndex(start);
    }

    /** The channel's socket when {@code data} can be sent on it directly right now, else null. */
    private static Socket directSocket(Channel ch, ByteBuf data) {
        if (ch instanceof UnixChannel unix && data.hasMemoryAddress() && data.isReadable()
                && ch.eventLoop().inEventLoop()) {
            ChannelOutboundBuffer queued = ch.unsafe().outboundBuffer();
            // A closed channel has no outbound buffer; isActive() keeps a closing one on the normal path.
            if (queued != null && queued.isEmpty() && ch.isActive()) {
                return (Socket) unix.fd();
            }
        }
        return null;
    }

    /**
     * Whether a send on a connected socket failed with the report of an ICMP error (port unreachable) that an earlier
     * datagram to the peer caused: Linux reports it on the next send and does not send that datagram, and the report
     * consumes the error — so the datagram is sent once more. (The client may have been unreachable for a moment; an
     * unconnected socket is never told, and this one must not lose a datagram the other would have sent.)
     */
    private static boolean refused(IOException e) {
        return e instanceof Errors.NativeIoException n && n.expectedErr() == Errors.ERROR_ECONNREFUSED_NEGATIVE;
    }

    /** The fallback's one buffer: the 4 prefix bytes and a copy of {@code body}, which is released. */
    private static ByteBuf copied(Channel ch, int prefix, ByteBuf body) {
        ByteBuf out = ch.alloc().directBuffer(4 + body.readableBytes());
        try {
            return out.writeInt(prefix).writeBytes(body);
        } finally {
            body.release();
        }
    }

    private static final class Gather {
        final ByteBuf prefix = Unpooled.directBuffer(4, 4);
        final IovArray iov = new IovArray(Unpooled.directBuffer(2 * IovArray.IOV_SIZE, 2 * IovArray.IOV_SIZE));

        /** This event loop's iovec holding {@code prefix} and {@code body}, or null when it cannot take them. */
        static Gather of(int prefix, ByteBuf body) {
            Gather g = GATHER.get();
            g.prefix.setInt(0, prefix);
            g.iov.clear();
            return g.iov.add(g.prefix, 0, 4) && g.iov.add(body, body.readerIndex(), body.readableBytes()) ? g : null;
        }

        void release() {
            iov.release();
            prefix.release();
        }
    }
}
