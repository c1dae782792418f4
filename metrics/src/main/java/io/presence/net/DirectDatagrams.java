package io.presence.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Sends one datagram from its channel's event loop straight to the socket ({@code sendto}), skipping the
 * pipeline, the outbound buffer and the flush: the relay's hot path sends one datagram per datagram received,
 * and a {@link DatagramPacket}, an outbound-buffer entry and a flush per datagram were a measurable share of
 * its CPU (perf, {@code uclient -y}).
 *
 * <p>Falls back to {@code writeAndFlush} whenever the direct send cannot be done right now, so ordering,
 * back-pressure and error reporting behave as before: not an epoll channel, not on the channel's loop,
 * earlier writes still queued, a buffer without a memory address, an empty datagram (a 0 from {@code sendto}
 * would be ambiguous; Netty's write skips it), or a full send buffer
 * (EAGAIN: the datagram is queued and sent when the socket becomes writable). A send error is reported like a
 * failed void-promise write: {@code exceptionCaught} on the pipeline, the datagram dropped.
 */
public final class DirectDatagrams {
    private DirectDatagrams() {
    }

    /** Sends {@code datagram} to {@code to} through {@code ch}. Takes ownership of the buffer. Any thread. */
    public static void send(Channel ch, ByteBuf datagram, InetSocketAddress to) {
        if (ch instanceof UnixChannel unix && datagram.hasMemoryAddress() && datagram.isReadable()
                && ch.eventLoop().inEventLoop()) {
            ChannelOutboundBuffer queued = ch.unsafe().outboundBuffer();
            // A closed channel has no outbound buffer; isActive() keeps a closing one on the normal path.
            if (queued != null && queued.isEmpty() && ch.isActive()) {
                try {
                    int sent = ((Socket) unix.fd()).sendToAddress(datagram.memoryAddress(), datagram.readerIndex(),
                            datagram.writerIndex(), to.getAddress(), to.getPort());
                    if (sent > 0) {
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
        }
        ch.writeAndFlush(new DatagramPacket(datagram, to), ch.voidPromise());
    }
}
