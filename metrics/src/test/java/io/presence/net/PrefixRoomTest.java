package io.presence.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connected socket reading with {@link PrefixRoom}: each datagram lands whole behind 4 free bytes, and sent on
 * with a 4-byte prefix it leaves as the prefix followed by the datagram — the peer-to-client ChannelData path.
 */
class PrefixRoomTest {
    private static final int DATAGRAM_BYTES = 2048;

    private NetStack net;
    private Channel ch;
    private DatagramSocket peer;
    private final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        net = NetStack.create(1, true);
        assertTrue(net.isEpoll(), "the native epoll transport loads on this Linux machine");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        peer = new DatagramSocket(new InetSocketAddress(loopback, 0));
        peer.setSoTimeout(5000);
        ch = new Bootstrap().group(net.workers()).channelFactory(net.datagramChannel(loopback))
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf content = ((DatagramPacket) msg).content();
                        seen.add(content.readerIndex() + " " + content.readableBytes());
                        // Echoed as ChannelData on channel 0x4001: the header goes into the room.
                        DirectDatagrams.writePrefixed(ctx.channel(), 0x4001 << 16 | content.readableBytes(), content);
                    }
                })
                .option(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR, new PrefixRoom(DATAGRAM_BYTES, 16))
                .bind(new InetSocketAddress(loopback, 0)).sync().channel();
        ch.connect(peer.getLocalSocketAddress()).sync();
    }

    @AfterEach
    void tearDown() {
        if (peer != null) {
            peer.close();
        }
        if (ch != null) {
            ch.close().awaitUninterruptibly();
        }
        net.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void eachDatagramIsReadWholeBehindTheRoomAndLeavesWithItsPrefix() throws Exception {
        for (int size : new int[] {1, 170, DATAGRAM_BYTES}) {
            byte[] payload = new byte[size];
            Arrays.fill(payload, (byte) (size & 0x7f));
            peer.send(new java.net.DatagramPacket(payload, size, ch.localAddress()));
            String read = seen.poll(5, TimeUnit.SECONDS);
            assertNotNull(read, "read " + size);
            assertEquals(PrefixRoom.BYTES + " " + size, read, "reader index behind the room, the datagram whole");
            java.net.DatagramPacket echo = new java.net.DatagramPacket(new byte[4096], 4096);
            peer.receive(echo);
            byte[] got = Arrays.copyOf(echo.getData(), echo.getLength());
            byte[] want = new byte[4 + size];
            want[0] = 0x40;
            want[1] = 0x01;
            want[2] = (byte) (size >> 8);
            want[3] = (byte) size;
            System.arraycopy(payload, 0, want, 4, size);
            assertArrayEquals(want, got, "prefix then datagram, " + size + " bytes");
        }
    }

    @Test
    void aDatagramLargerThanTheSizeIsCutAsByNettysFixedAllocator() throws Exception {
        byte[] payload = new byte[DATAGRAM_BYTES + 100];
        peer.send(new java.net.DatagramPacket(payload, payload.length, ch.localAddress()));
        assertEquals(PrefixRoom.BYTES + " " + DATAGRAM_BYTES, seen.poll(5, TimeUnit.SECONDS));
    }
}
