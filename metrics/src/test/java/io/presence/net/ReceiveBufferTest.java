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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connected socket reading with a {@link ReceiveBuffer}: each datagram lands whole behind 4 free bytes, and sent on
 * with a 4-byte prefix it leaves as the prefix followed by the datagram — the peer-to-client ChannelData path; the
 * buffer is read into again once its datagram is done with, and left to whoever still holds it otherwise.
 */
class ReceiveBufferTest {
    private static final int DATAGRAM_BYTES = 2048;

    private NetStack net;
    private Channel ch;
    private DatagramSocket peer;
    private final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private final ReceiveBuffer buffer = new ReceiveBuffer(DirectDatagrams.PREFIX_BYTES, DATAGRAM_BYTES, 16);
    /** Datagrams the handler keeps instead of echoing (their buffers still held). */
    private final LinkedBlockingQueue<ByteBuf> kept = new LinkedBlockingQueue<>();
    private final List<Long> addresses = new CopyOnWriteArrayList<>();
    /** The 4 bytes in front of each datagram as it arrived: what the previous send left there. */
    private final List<Integer> front = new CopyOnWriteArrayList<>();

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
                        addresses.add(content.memoryAddress());
                        front.add(content.getInt(0));
                        if (content.getByte(content.readerIndex()) == 'K') {
                            kept.add(content);
                            return;
                        }
                        seen.add(content.readerIndex() + " " + content.readableBytes());
                        // Echoed as ChannelData on channel 0x4001: the header goes into the room.
                        DirectDatagrams.writePrefixed(ctx.channel(), 0x4001 << 16 | content.readableBytes(), content);
                    }
                })
                .option(io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR, buffer)
                .bind(new InetSocketAddress(loopback, 0)).sync().channel();
        ch.connect(peer.getLocalSocketAddress()).sync();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (ch != null) {
            ch.close().awaitUninterruptibly();
            ch.eventLoop().submit(buffer::release).get(5, TimeUnit.SECONDS);
        }
        kept.forEach(ByteBuf::release);
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
            assertEquals(DirectDatagrams.PREFIX_BYTES + " " + size, read, "reader index behind the room, the datagram whole");
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
    void theBufferIsReadIntoAgainOnceFreeAndLeftToWhoeverStillHoldsIt() throws Exception {
        InetSocketAddress to = (InetSocketAddress) ch.localAddress();
        for (String text : new String[] {"one", "two"}) {
            peer.send(new java.net.DatagramPacket(text.getBytes(StandardCharsets.UTF_8), text.length(), to));
            assertNotNull(seen.poll(5, TimeUnit.SECONDS));
            peer.receive(new java.net.DatagramPacket(new byte[64], 64));
        }
        assertEquals(addresses.get(0), addresses.get(1), "echoed and released: the same buffer again");
        assertEquals(0x40010003, front.get(1), "the first echo's header was written in front of its datagram");

        peer.send(new java.net.DatagramPacket("Kept".getBytes(StandardCharsets.UTF_8), 4, to));
        ByteBuf held = kept.poll(5, TimeUnit.SECONDS);
        assertNotNull(held);
        peer.send(new java.net.DatagramPacket("three".getBytes(StandardCharsets.UTF_8), 5, to));
        assertNotNull(seen.poll(5, TimeUnit.SECONDS));
        peer.receive(new java.net.DatagramPacket(new byte[64], 64));
        assertEquals(addresses.get(1), addresses.get(2), "the kept datagram's buffer");
        assertTrue(addresses.get(3) != addresses.get(2).longValue(), "the next read gets a buffer of its own");
        assertEquals("Kept", held.toString(StandardCharsets.UTF_8), "the holder's datagram is intact");
        ch.close().sync();
        ch.eventLoop().submit(buffer::release).get(5, TimeUnit.SECONDS);
        assertEquals(1, held.refCnt(), "released by the receive buffer, still the holder's");
        held.release();
    }

    @Test
    void aDatagramLargerThanTheSizeIsCutAsByNettysFixedAllocator() throws Exception {
        byte[] payload = new byte[DATAGRAM_BYTES + 100];
        peer.send(new java.net.DatagramPacket(payload, payload.length, ch.localAddress()));
        assertEquals(DirectDatagrams.PREFIX_BYTES + " " + DATAGRAM_BYTES, seen.poll(5, TimeUnit.SECONDS));
    }
}
