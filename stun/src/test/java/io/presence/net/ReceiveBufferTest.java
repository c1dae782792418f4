package io.presence.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
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
    /** Every buffer the channel's allocator handed out. */
    private final List<ByteBuf> handedOut = new CopyOnWriteArrayList<>();
    /** Datagrams the handler keeps instead of echoing (their buffers still held). */
    private final LinkedBlockingQueue<ByteBuf> kept = new LinkedBlockingQueue<>();
    /** The buffer of each datagram the handler got. */
    private final List<ByteBuf> read = new CopyOnWriteArrayList<>();
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
                        read.add(content);
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
                .option(ChannelOption.ALLOCATOR, new AbstractByteBufAllocator(true) {
                    @Override
                    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                        ByteBuf b = Unpooled.directBuffer(initialCapacity, maxCapacity);
                        handedOut.add(b);
                        return b;
                    }

                    @Override
                    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                        return Unpooled.buffer(initialCapacity, maxCapacity);
                    }

                    @Override
                    public boolean isDirectBufferPooled() {
                        return false;
                    }
                })
                .bind(new InetSocketAddress(loopback, 0)).sync().channel();
        ReceiveBuffer.install(ch, DirectDatagrams.PREFIX_BYTES, DATAGRAM_BYTES, 16);
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
        assertSame(read.get(0), read.get(1), "echoed and released: the same buffer again");
        assertEquals(1, handedOut.size(), "one buffer from the allocator for both reads and the reads that found none");
        assertEquals(0x40010003, front.get(1), "the first echo's header was written in front of its datagram");

        peer.send(new java.net.DatagramPacket("Kept".getBytes(StandardCharsets.UTF_8), 4, to));
        ByteBuf held = kept.poll(5, TimeUnit.SECONDS);
        assertNotNull(held);
        peer.send(new java.net.DatagramPacket("three".getBytes(StandardCharsets.UTF_8), 5, to));
        assertNotNull(seen.poll(5, TimeUnit.SECONDS));
        peer.receive(new java.net.DatagramPacket(new byte[64], 64));
        assertSame(read.get(1), read.get(2), "the kept datagram's buffer");
        assertNotSame(read.get(2), read.get(3), "the next read gets a buffer of its own");
        assertEquals("Kept", held.toString(StandardCharsets.UTF_8), "the holder's datagram is intact");
        assertEquals(1, held.refCnt(), "left to its holder alone");
        held.release();

        ch.close().sync();
        ch.eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS); // the close listeners have run
        assertTrue(handedOut.size() >= 2, "buffers from the allocator: " + handedOut.size());
        for (ByteBuf b : handedOut) {
            assertEquals(0, b.refCnt(), "every buffer given up once the socket is closed and the holder is done");
        }
    }

    @Test
    void aDatagramLargerThanTheSizeIsCutAsByNettysFixedAllocator() throws Exception {
        byte[] payload = new byte[DATAGRAM_BYTES + 100];
        peer.send(new java.net.DatagramPacket(payload, payload.length, ch.localAddress()));
        assertEquals(DirectDatagrams.PREFIX_BYTES + " " + DATAGRAM_BYTES, seen.poll(5, TimeUnit.SECONDS));
    }
}
