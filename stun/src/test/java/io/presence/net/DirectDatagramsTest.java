package io.presence.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.UnixChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The direct send path and each of its fallbacks deliver the datagram (or report the error) and free the buffer. */
class DirectDatagramsTest {
    private NetStack net;
    private Channel ch;
    private DatagramSocket receiver;
    private final CompletableFuture<Throwable> error = new CompletableFuture<>();

    @BeforeEach
    void setUp() throws Exception {
        net = NetStack.create(1, true);
        assertTrue(net.isEpoll(), "the native epoll transport loads on this Linux machine");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ch = new Bootstrap().group(net.workers()).channelFactory(net.datagramChannel(loopback))
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        error.complete(cause);
                    }
                })
                .bind(new InetSocketAddress(loopback, 0)).sync().channel();
        receiver = new DatagramSocket(new InetSocketAddress(loopback, 0));
        receiver.setSoTimeout(5000);
    }

    @AfterEach
    void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
        if (ch != null) {
            ch.close().awaitUninterruptibly();
        }
        net.shutdown(Duration.ofSeconds(2));
    }

    private ByteBuf direct(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return Unpooled.directBuffer(b.length + 8).writeZero(3).writeBytes(b).skipBytes(3);
    }

    private byte[] receive() throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        receiver.receive(p);
        assertEquals(ch.localAddress(), p.getSocketAddress(), "source address");
        return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }

    @Test
    void onTheLoopTheDatagramGoesStraightToTheSocket() throws Exception {
        assertInstanceOf(UnixChannel.class, ch, "epoll channel");
        ByteBuf buf = direct("hello");
        ch.eventLoop().submit(() -> DirectDatagrams.send(ch, buf, (InetSocketAddress) receiver.getLocalSocketAddress()))
                .get(5, TimeUnit.SECONDS);
        assertEquals(0, buf.refCnt(), "released as soon as it was sent");
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), receive(), "only the readable bytes");
    }

    @Test
    void offTheLoopOrFromAHeapBufferTheNormalWriteDelivers() throws Exception {
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalSocketAddress();
        ByteBuf offLoop = direct("off-loop");
        DirectDatagrams.send(ch, offLoop, to);
        assertArrayEquals("off-loop".getBytes(StandardCharsets.UTF_8), receive());
        ByteBuf heap = Unpooled.copiedBuffer("heap", StandardCharsets.UTF_8);
        ch.eventLoop().submit(() -> DirectDatagrams.send(ch, heap, to)).get(5, TimeUnit.SECONDS);
        assertArrayEquals("heap".getBytes(StandardCharsets.UTF_8), receive());
        ch.eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertEquals(0, offLoop.refCnt());
        assertEquals(0, heap.refCnt());
    }

    @Test
    void aPrefixedDatagramIsTheFourPrefixBytesThenTheBodyOnBothPaths() throws Exception {
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalSocketAddress();
        ByteBuf onLoop = direct("payload");
        ch.eventLoop().submit(() -> DirectDatagrams.sendPrefixed(ch, 0x40010007, onLoop, to)).get(5, TimeUnit.SECONDS);
        assertArrayEquals(concat(new byte[] {0x40, 0x01, 0x00, 0x07}, "payload"), receive(), "gathered on the loop");
        assertEquals(0, onLoop.refCnt());
        // Twice more on the loop: the per-loop prefix and iovec are reused, not accumulated.
        ByteBuf again = direct("second");
        ch.eventLoop().submit(() -> DirectDatagrams.sendPrefixed(ch, 0x7fff0006, again, to)).get(5, TimeUnit.SECONDS);
        assertArrayEquals(concat(new byte[] {0x7f, (byte) 0xff, 0x00, 0x06}, "second"), receive());
        ByteBuf offLoop = direct("copied");
        DirectDatagrams.sendPrefixed(ch, 0x40020006, offLoop, to);
        assertArrayEquals(concat(new byte[] {0x40, 0x02, 0x00, 0x06}, "copied"), receive(), "copied off the loop");
        assertEquals(0, offLoop.refCnt());
    }

    @Test
    void aConnectedChannelWritesToItsPeerOnBothPaths() throws Exception {
        ch.connect(receiver.getLocalSocketAddress()).sync();
        ByteBuf plain = direct("plain");
        ch.eventLoop().submit(() -> DirectDatagrams.write(ch, plain)).get(5, TimeUnit.SECONDS);
        assertArrayEquals("plain".getBytes(StandardCharsets.UTF_8), receive(), "write on the loop");
        ByteBuf prefixed = direct("payload");
        ch.eventLoop().submit(() -> DirectDatagrams.writePrefixed(ch, 0x40010007, prefixed)).get(5, TimeUnit.SECONDS);
        assertArrayEquals(concat(new byte[] {0x40, 0x01, 0x00, 0x07}, "payload"), receive(), "writev on the loop");
        ByteBuf offLoop = direct("copied");
        DirectDatagrams.writePrefixed(ch, 0x40020006, offLoop);
        assertArrayEquals(concat(new byte[] {0x40, 0x02, 0x00, 0x06}, "copied"), receive(), "copied off the loop");
        ByteBuf heap = Unpooled.copiedBuffer("heap", StandardCharsets.UTF_8);
        DirectDatagrams.write(ch, heap);
        assertArrayEquals("heap".getBytes(StandardCharsets.UTF_8), receive(), "the normal write");
        ch.eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS);
        assertEquals(0, plain.refCnt() + prefixed.refCnt() + offLoop.refCnt() + heap.refCnt());
    }

    /**
     * Linux reports an ICMP port unreachable caused by an earlier datagram on a connected socket's next send, and does
     * not send that one: the send is made again, so a peer that was unreachable for a moment loses nothing more. Both
     * sends run in one task on the loop, as a burst does: the loop's own read, which would otherwise take the report
     * first, does not run in between.
     */
    @Test
    void aConnectedChannelSendsAgainAfterAnEarlierDatagramWasRefused() throws Exception {
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalSocketAddress();
        ch.connect(to).sync();
        for (boolean prefixed : new boolean[] {false, true}) {
            receiver.close();
            ch.eventLoop().submit(() -> {
                DirectDatagrams.write(ch, direct("to nobody"));
                receiver = new DatagramSocket(to);
                receiver.setSoTimeout(5000);
                if (prefixed) {
                    DirectDatagrams.writePrefixed(ch, 0x40010007, direct("payload"));
                } else {
                    DirectDatagrams.write(ch, direct("plain"));
                }
                return null;
            }).get(5, TimeUnit.SECONDS);
            assertArrayEquals(prefixed ? concat(new byte[] {0x40, 0x01, 0x00, 0x07}, "payload")
                    : "plain".getBytes(StandardCharsets.UTF_8), receive(), prefixed ? "writev" : "write");
        }
    }

    /**
     * The prefix goes into the 4 bytes in front of the body only when they are the sender's to overwrite: a buffer of
     * its own held once. A view of another buffer's memory, or a buffer someone else still holds, keeps its bytes, and
     * the datagram is gathered instead — the same datagram on the wire either way.
     */
    @Test
    void thePrefixIsWrittenInFrontOfTheBodyOnlyWhenThoseBytesAreTheSenders() throws Exception {
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalSocketAddress();
        byte[] header = {0x40, 0x01, 0x00, 0x07};
        ByteBuf own = Unpooled.directBuffer(64).writeBytes("ROOMpayload".getBytes(StandardCharsets.UTF_8)).skipBytes(4);
        ch.eventLoop().submit(() -> DirectDatagrams.sendPrefixed(ch, 0x40010007, own, to)).get(5, TimeUnit.SECONDS);
        assertArrayEquals(concat(header, "payload"), receive(), "in place");
        assertEquals(0, own.refCnt());

        // A view of memory the test keeps (its bytes readable after the view is released): bytes in front of the
        // view's reader index, inside the view, held once — still not the sender's.
        byte[] memory = "....KEEPpayload".getBytes(StandardCharsets.UTF_8);
        ByteBuf view = Unpooled.wrappedBuffer(memory).slice(4, 11).skipBytes(4);
        ByteBuf held = Unpooled.directBuffer(64).writeBytes("MINEpayload".getBytes(StandardCharsets.UTF_8)).skipBytes(4);
        held.retain();
        ch.eventLoop().submit(() -> {
            DirectDatagrams.sendPrefixed(ch, 0x40010007, view, to);
            DirectDatagrams.sendPrefixed(ch, 0x40010007, held, to);
        }).get(5, TimeUnit.SECONDS);
        assertArrayEquals(concat(header, "payload"), receive(), "a view: gathered");
        assertArrayEquals(concat(header, "payload"), receive(), "held twice: gathered");
        assertEquals("KEEP", new String(memory, 4, 4, StandardCharsets.UTF_8), "the viewed memory is kept");
        assertEquals("MINE", held.toString(0, 4, StandardCharsets.UTF_8), "the other holder's bytes are kept");
        assertEquals(0, view.refCnt(), "the view released");
        assertEquals(1, held.refCnt(), "the sender's reference released");
        held.release();

        ch.connect(to).sync();
        ByteBuf connected = Unpooled.directBuffer(64).writeBytes("ROOMpayload".getBytes(StandardCharsets.UTF_8)).skipBytes(4);
        ch.eventLoop().submit(() -> DirectDatagrams.writePrefixed(ch, 0x40010007, connected)).get(5, TimeUnit.SECONDS);
        assertArrayEquals(concat(header, "payload"), receive(), "in place, connected");
        assertEquals(0, connected.refCnt());
    }

    private static byte[] concat(byte[] prefix, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(prefix, prefix.length + b.length);
        System.arraycopy(b, 0, out, prefix.length, b.length);
        return out;
    }

    @Test
    void aSendErrorIsReportedOnThePipelineAndTheBufferFreed() throws Exception {
        ByteBuf buf = direct("nowhere");
        // An IPv6 destination on an IPv4 socket: sendto fails at once.
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 9);
        ch.eventLoop().submit(() -> DirectDatagrams.send(ch, buf, v6)).get(5, TimeUnit.SECONDS);
        Throwable cause = error.get(5, TimeUnit.SECONDS);
        assertInstanceOf(java.io.IOException.class, cause, cause.toString());
        assertEquals(0, buf.refCnt());
        assertTrue(ch.isActive(), "the socket stays open");
    }
}
