package io.presence.stun.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.ReferenceCountUtil;
import io.presence.net.NetStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client sockets ({@link ClientSockets}) on real loopback sockets: a client that gets one is served through it from
 * the same server address, nobody else's datagrams reach it, the limit holds, and closing it hands the client back
 * to the shared socket.
 */
@Timeout(30)
class ClientSocketsTest {
    static NetStack net;

    @BeforeAll
    static void net() {
        net = NetStack.create(2, true);
    }

    @AfterAll
    static void shutdown() {
        net.shutdown(Duration.ofSeconds(2));
    }

    /**
     * Answers ChannelData frames with "<kind>:<result>" through the peer they came with, kind being how they
     * arrived ('S' shared socket, 'C' the client's own): payload "connect" asks for a client socket (result 1 or 0),
     * "own" asks for one with an owner ({@link Owner}), "close" closes it, anything else is just answered.
     */
    static final class Extension implements StunExtension {
        final List<ConnectedPeer> connected = new ArrayList<>();

        @Override
        public boolean onChannelData(StunPeer peer, ByteBuf frame) {
            String payload = frame.toString(frame.readerIndex() + 4, frame.readableBytes() - 4,
                    java.nio.charset.StandardCharsets.US_ASCII);
            frame.release();
            String result = "";
            if (payload.equals("connect") || payload.equals("own")) {
                ConnectedPeer c = peer.connect();
                if (c != null && payload.equals("own")) {
                    c.attach(new Owner(c, this));
                }
                if (c != null) {
                    synchronized (connected) {
                        connected.add(c);
                    }
                }
                result = c == null ? "0" : "1";
            } else if (payload.equals("close") && peer instanceof ConnectedPeer c) {
                c.close();
            }
            peer.send(frame(((peer instanceof ConnectedPeer) ? "C:" : "S:") + result));
            return true;
        }

        ByteBuf frame(String text) {
            byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            return io.netty.buffer.Unpooled.directBuffer(4 + b.length).writeShort(0x4000).writeShort(b.length)
                    .writeBytes(b);
        }
    }

    /** Answers "O:" to the ChannelData its client sends on its own socket; takes no Send indication. */
    record Owner(ConnectedPeer peer, Extension ext) implements PeerOwner {
        @Override
        public boolean onChannelData(ByteBuf frame) {
            frame.release();
            peer.send(ext.frame("O:"));
            return true;
        }

        @Override
        public boolean onSendIndication(ByteBuf frame) {
            return false;
        }
    }

    static byte[] channelData(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[4 + b.length];
        out[0] = 0x40;
        out[3] = (byte) b.length;
        System.arraycopy(b, 0, out, 4, b.length);
        return out;
    }

    /** Sends {@code text}; returns the answer's text and checks it came from {@code server}. */
    static String ask(DatagramSocket client, InetSocketAddress server, String text) throws Exception {
        byte[] req = channelData(text);
        client.send(new DatagramPacket(req, req.length, server));
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        client.receive(p);
        assertEquals(server, p.getSocketAddress(), "answers come from the address the client talks to");
        return new String(buf, 4, p.getLength() - 4, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static StunServer server(StunSettings settings, Extension ext, PrometheusMeterRegistry registry) {
        return new StunServer(settings, net, new StunMetrics(registry), ext).start();
    }

    static DatagramSocket client() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        s.setSoTimeout(5000);
        return s;
    }

    @Test
    void aClientWithItsOwnSocketIsServedThroughItAndNobodyElseIs() throws Exception {
        Extension ext = new Extension();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StunServer server = server(StunSettings.loopbackEphemeral(), ext, registry);
        try (DatagramSocket a = client(); DatagramSocket b = client()) {
            InetSocketAddress at = server.udpAddress();
            assertEquals("S:", ask(a, at, "hello"));
            assertEquals("S:1", ask(a, at, "connect"));
            assertEquals(1, server.clientSocketsOpen());
            assertTrue(registry.scrape().contains("stun_udp_client_sockets 1.0"), registry.scrape());
            ConnectedPeer c = ext.connected.get(0);
            assertEquals(new InetSocketAddress("127.0.0.1", a.getLocalPort()), c.remoteAddress());
            assertEquals(at, c.localAddress(), "the same 5-tuple as through the shared socket");
            for (int i = 0; i < 20; i++) {
                assertEquals("C:", ask(a, at, "data " + i));
                assertEquals("S:", ask(b, at, "data " + i), "another client stays on the shared socket");
            }
            assertEquals("C:", ask(a, at, "close"));
            waitFor(() -> server.clientSocketsOpen() == 0);
            assertEquals("S:", ask(a, at, "after"), "back on the shared socket once its own is closed");
        } finally {
            server.close();
        }
    }

    @Test
    void anOwnedClientSocketsChannelDataGoesToItsOwnerNotTheExtension() throws Exception {
        Extension ext = new Extension();
        StunServer server = server(StunSettings.loopbackEphemeral(), ext,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        try (DatagramSocket a = client(); DatagramSocket b = client()) {
            InetSocketAddress at = server.udpAddress();
            assertEquals("S:1", ask(a, at, "own"));
            for (int i = 0; i < 5; i++) {
                assertEquals("O:", ask(a, at, "data " + i), "the owner answers, through the client's socket");
                assertEquals("S:", ask(b, at, "data " + i), "a client without one still reaches the extension");
            }
        } finally {
            server.close();
        }
    }

    @Test
    void theLimitHoldsAndAClosedSocketFreesItsPlace() throws Exception {
        Extension ext = new Extension();
        StunServer server = server(StunSettings.loopbackEphemeral().withClientSockets(1), ext,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        try (DatagramSocket a = client(); DatagramSocket b = client()) {
            InetSocketAddress at = server.udpAddress();
            assertEquals("S:1", ask(a, at, "connect"));
            assertEquals("S:0", ask(b, at, "connect"), "over the limit: no socket");
            assertEquals("S:", ask(b, at, "data"));
            assertEquals("C:", ask(a, at, "close"));
            waitFor(() -> server.clientSocketsOpen() == 0);
            assertEquals("S:1", ask(b, at, "connect"));
            assertEquals("C:", ask(b, at, "data"));
        } finally {
            server.close();
        }
    }

    /**
     * A client socket closed while it handles its own client's message (an allocation ends on a Refresh that came
     * through it) must read nothing more. Closed inside Netty's read loop, it would be read again by descriptor number,
     * which a new client socket on the other event loop may just have taken: that client's datagram would be read here
     * and answered to the old client. The close is therefore deferred until the read returns; a close inside the read
     * fails this test within its first ten rounds.
     */
    @Test
    void aSocketClosedWhileHandlingItsClientsMessageReadsNoOtherClientsDatagrams() throws Exception {
        Extension ext = new Extension();
        StunServer server = server(StunSettings.loopbackEphemeral().withClientSockets(1), ext,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        try {
            InetSocketAddress at = server.udpAddress();
            for (int round = 0; round < 200; round++) {
                try (DatagramSocket a = client(); DatagramSocket b = client()) {
                    assertEquals("S:1", ask(a, at, "connect"));
                    assertEquals("C:", ask(a, at, "close"));
                    waitFor(() -> server.clientSocketsOpen() == 0);
                    assertEquals("S:1", ask(b, at, "connect"), "round " + round);
                    assertEquals("C:", ask(b, at, "data"), "round " + round + ": answered through b's own socket");
                    assertEquals("C:", ask(b, at, "close"));
                    waitFor(() -> server.clientSocketsOpen() == 0);
                }
            }
        } finally {
            server.close();
        }
    }

    @Test
    void noneOnAWildcardAddressNorWhenOff() throws Exception {
        Extension ext = new Extension();
        StunServer wildcard = server(StunSettings.loopbackEphemeral().withBind("0.0.0.0", 0), ext,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        StunServer off = server(StunSettings.loopbackEphemeral().withClientSockets(0), ext,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        try (DatagramSocket a = client()) {
            InetSocketAddress w = new InetSocketAddress("127.0.0.1", wildcard.udpAddress().getPort());
            assertEquals("S:0", ask(a, w, "connect"));
            assertEquals("S:0", ask(a, off.udpAddress(), "connect"));
            assertEquals(0, wildcard.clientSocketsOpen() + off.clientSocketsOpen());
        } finally {
            wildcard.close();
            off.close();
        }
    }

    /**
     * The property the design stands on (see {@link ClientSockets}): an AF_INET6 socket bound to the shared socket's
     * IPv4 address in its mapped form and not (yet) connected takes none of the datagrams sent to that address —
     * the instant between a client socket's bind and its connect loses nothing to it and misdirects nothing.
     */
    @Test
    void anUnconnectedClientSocketTakesNoDatagrams() throws Exception {
        Extension ext = new Extension();
        StunServer server = server(StunSettings.loopbackEphemeral(), ext,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        AtomicInteger stolen = new AtomicInteger();
        EpollDatagramChannel bare = new EpollDatagramChannel(SocketProtocolFamily.INET6);
        bare.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
        bare.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                stolen.incrementAndGet();
                ReferenceCountUtil.release(msg);
            }
        });
        try {
            net.workers().next().register(bare).syncUninterruptibly();
            bare.bind(server.udpAddress()).syncUninterruptibly();
            List<DatagramSocket> clients = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                clients.add(client());
            }
            for (int round = 0; round < 10; round++) {
                for (DatagramSocket c : clients) {
                    assertEquals("S:", ask(c, server.udpAddress(), "r" + round));
                }
            }
            for (DatagramSocket c : clients) {
                c.close();
            }
            assertEquals(0, stolen.get());
        } finally {
            bare.close().syncUninterruptibly();
            server.close();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "condition not met in 5 s");
            Thread.sleep(10);
        }
    }
}
