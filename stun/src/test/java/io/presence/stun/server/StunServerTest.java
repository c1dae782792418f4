package io.presence.stun.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.presence.net.NetStack;
import io.presence.stun.AttributeType;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.TransactionId;
import io.presence.stun.attr.XorAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server on real loopback sockets. */
@Timeout(30)
class StunServerTest {
    static NetStack net;

    @BeforeAll
    static void net() {
        net = NetStack.create(2, true);
    }

    @AfterAll
    static void shutdown() {
        net.shutdown(Duration.ofSeconds(2));
    }

    static byte[] bindingRequest(boolean fingerprint) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, Method.BINDING, MessageClass.REQUEST, TransactionId.random());
        if (fingerprint) {
            w.fingerprint();
        }
        w.finish();
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        return b;
    }

    static byte[] udpExchange(DatagramSocket socket, InetSocketAddress server, byte[] request) throws Exception {
        socket.send(new DatagramPacket(request, request.length, server));
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return Arrays.copyOf(buf, p.getLength());
    }

    /**
     * A receive-buffer allocator set as a channel option keeps its own messages-per-read (1 for a new
     * {@code FixedRecvByteBufAllocator}) instead of Netty's datagram default of 16: the STUN port then read one
     * datagram per {@code epoll_wait}, silently (the TURN benchmark's system-call census found it). Each UDP
     * socket must read many datagrams per readiness event.
     */
    @Test
    void udpSocketsReadManyDatagramsPerReadinessEvent() {
        try (StunServer server = new StunServer(StunSettings.loopbackEphemeral(), net, new PrometheusMeterRegistry(
                PrometheusConfig.DEFAULT)).start()) {
            List<Channel> udp = server.udpChannels();
            assertTrue(!udp.isEmpty(), "no UDP socket");
            for (Channel ch : udp) {
                RecvByteBufAllocator allocator = ch.config().getRecvByteBufAllocator();
                assertEquals(ReceiveLimits.DATAGRAMS_PER_READ,
                        ((MaxMessagesRecvByteBufAllocator) allocator).maxMessagesPerRead(), ch.toString());
            }
        }
    }

    @Test
    void udpBindingAnswersReflexiveAddressWithinTwiceTheRequestSize() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (StunServer server = new StunServer(StunSettings.loopbackEphemeral(), net, registry).start();
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5000);
            byte[] request = bindingRequest(false);
            assertEquals(20, request.length);
            byte[] response = udpExchange(socket, server.udpAddress(), request);
            assertTrue(response.length <= 2 * request.length, "amplification: " + response.length + " bytes");
            StunMessage m = StunMessage.decode(response, 0, response.length);
            assertEquals(TransactionId.of(Arrays.copyOfRange(request, 8, 20)), m.transactionId());
            assertEquals(socket.getLocalSocketAddress(), XorAddress.decode(m.first(AttributeType.XOR_MAPPED_ADDRESS)));

            byte[] withFingerprint = bindingRequest(true);
            byte[] r2 = udpExchange(socket, server.udpAddress(), withFingerprint);
            assertTrue(r2.length <= 2 * withFingerprint.length);
            assertTrue(StunMessage.decode(r2, 0, r2.length).hasFingerprint());

            String scrape = registry.scrape();
            assertTrue(scrape.contains("stun_binding_requests_total{transport=\"udp\"} 2.0"), scrape);
            assertTrue(scrape.contains("stun_binding_responses_total{result=\"success\",transport=\"udp\"} 2.0"), scrape);
            assertTrue(scrape.contains("stun_decode_failures_total{reason=\"bad_fingerprint\",transport=\"tcp\"} 0.0"));
            assertTrue(scrape.contains("# HELP stun_binding_requests_total STUN Binding requests received"));
        }
    }

    @Test
    void ipv6BindingAnswersWithAnIpv6ReflexiveAddress() throws Exception {
        DatagramSocket socket;
        try {
            socket = new DatagramSocket(new InetSocketAddress("::1", 0));
        } catch (java.net.SocketException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e);
            return;
        }
        try (socket; StunServer server = new StunServer(StunSettings.loopbackEphemeral().withBind("::1", 0), net,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start()) {
            socket.setSoTimeout(5000);
            byte[] response = udpExchange(socket, server.udpAddress(), bindingRequest(false));
            StunMessage m = StunMessage.decode(response, 0, response.length);
            assertEquals(socket.getLocalSocketAddress(), XorAddress.decode(m.first(AttributeType.XOR_MAPPED_ADDRESS)));
            assertEquals(44, response.length, "XOR-MAPPED-ADDRESS over IPv6 alone is 24 bytes: 2.2x (documented)");
        }
    }

    @Test
    void severalUdpSocketsShareThePortAndAllAnswer() throws Exception {
        if (System.getProperty("os.name").startsWith("Linux") && "amd64".equals(System.getProperty("os.arch"))) {
            assertTrue(net.isEpoll(), "the test classpath carries the native epoll transport");
        }
        for (NetStack stack : new NetStack[] {net, NetStack.create(1, false)}) { // epoll (reuseport) and NIO (one)
            try (StunServer server = new StunServer(StunSettings.loopbackEphemeral().withUdpSockets(4), stack,
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start()) {
                assertEquals(stack.isEpoll() ? 4 : 1, server.boundUdpSockets());
                for (int i = 0; i < 24; i++) {
                    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                        socket.setSoTimeout(5000);
                        byte[] r = udpExchange(socket, server.udpAddress(), bindingRequest(false));
                        assertEquals(socket.getLocalSocketAddress(),
                                XorAddress.decode(StunMessage.decode(r, 0, r.length).first(AttributeType.XOR_MAPPED_ADDRESS)));
                    }
                }
            } finally {
                if (stack != net) {
                    stack.shutdown(Duration.ofSeconds(2));
                }
            }
        }
    }

    @Test
    void badDatagramsDoNotStopTheUdpListener() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (StunServer server = new StunServer(StunSettings.loopbackEphemeral(), net, registry).start();
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(300);
            for (byte[] junk : new byte[][] {new byte[0], new byte[] {(byte) 0xFF}, new byte[1000], "GET / HTTP/1.1\r\n".getBytes()}) {
                socket.send(new DatagramPacket(junk, junk.length, server.udpAddress()));
            }
            // A STUN message longer than a datagram buffer arrives cut: counted as truncated, not answered.
            ByteBuf big = Unpooled.buffer();
            StunMessageWriter.begin(big, Method.BINDING, MessageClass.REQUEST, TransactionId.random())
                    .attribute(0x8055, new byte[ReceiveLimits.DATAGRAM_BYTES]).finish();
            byte[] tooLong = new byte[big.readableBytes()];
            big.readBytes(tooLong);
            big.release();
            socket.send(new DatagramPacket(tooLong, tooLong.length, server.udpAddress()));
            byte[] buf = new byte[100];
            assertThrows(SocketTimeoutException.class, () -> socket.receive(new DatagramPacket(buf, buf.length)));
            socket.setSoTimeout(5000);
            byte[] response = udpExchange(socket, server.udpAddress(), bindingRequest(false));
            assertTrue(StunMessage.decode(response, 0, response.length).is(Method.BINDING, MessageClass.SUCCESS_RESPONSE));
            String scrape = registry.scrape();
            assertTrue(scrape.contains("stun_decode_failures_total{reason=\"truncated\",transport=\"udp\"} 2.0"), scrape);
            assertTrue(scrape.contains("stun_decode_failures_total{reason=\"not_stun\",transport=\"udp\"} 1.0"), scrape);
            assertTrue(scrape.contains("stun_decode_failures_total{reason=\"bad_magic_cookie\",transport=\"udp\"} 1.0"), scrape);
            // "GET ..." starts with 0x47 = 0b01...: ChannelData by the first two bits, left to TURN.
            assertTrue(scrape.contains("stun_unhandled_messages_total{transport=\"udp\",type=\"channel_data\"} 1.0"), scrape);
        }
    }

    static byte[] readFrame(InputStream in) throws Exception {
        DataInputStream d = new DataInputStream(in);
        byte[] header = new byte[20];
        d.readFully(header);
        int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        byte[] all = Arrays.copyOf(header, 20 + length);
        d.readFully(all, 20, length);
        return all;
    }

    @Test
    void tcpBindingOnTheSamePortAndViolationsCloseTheConnection() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (StunServer server = new StunServer(StunSettings.loopbackEphemeral(), net, registry).start()) {
            assertEquals(server.udpAddress().getPort(), server.tcpAddress().getPort());
            try (Socket s = new Socket()) {
                s.connect(server.tcpAddress(), 5000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                byte[] two = new byte[40];
                System.arraycopy(bindingRequest(false), 0, two, 0, 20);
                System.arraycopy(bindingRequest(false), 0, two, 20, 20);
                out.write(two, 0, 7); // split across segments
                out.flush();
                Thread.sleep(20);
                out.write(two, 7, 33);
                out.flush();
                for (int i = 0; i < 2; i++) {
                    byte[] r = readFrame(s.getInputStream());
                    StunMessage m = StunMessage.decode(r, 0, r.length);
                    assertEquals(s.getLocalSocketAddress(), XorAddress.decode(m.first(AttributeType.XOR_MAPPED_ADDRESS)));
                }
                // Well framed but not STUN (bad cookie): counted and dropped, the connection stays.
                byte[] badCookie = bindingRequest(false);
                badCookie[4] ^= 1;
                out.write(badCookie);
                out.write(bindingRequest(false));
                out.flush();
                byte[] after = readFrame(s.getInputStream());
                assertTrue(StunMessage.decode(after, 0, after.length).is(Method.BINDING, MessageClass.SUCCESS_RESPONSE));
                out.write(new byte[] {(byte) 0xC0, 0, 0, 0});
                out.flush();
                assertEquals(-1, s.getInputStream().read(), "closed after a framing violation");
            }
            String scrape = registry.scrape();
            assertTrue(scrape.contains("stun_binding_requests_total{transport=\"tcp\"} 3.0"), scrape);
            assertTrue(scrape.contains("stun_decode_failures_total{reason=\"bad_magic_cookie\",transport=\"tcp\"} 1.0"), scrape);
            assertTrue(scrape.contains("stun_decode_failures_total{reason=\"not_stun\",transport=\"tcp\"} 1.0"), scrape);
        }
    }

    @Test
    void tcpChannelDataReachesTheExtensionWithoutPaddingAndCloseIsReported() throws Exception {
        java.util.concurrent.BlockingQueue<String> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        StunExtension turn = new StunExtension() {
            @Override
            public boolean onChannelData(StunPeer peer, ByteBuf frame) {
                try {
                    seen.add(peer.transport().label() + " " + io.netty.buffer.ByteBufUtil.hexDump(frame));
                    int channel = io.presence.stun.codec.ChannelData.parse(frame, false);
                    ByteBuf payload = io.presence.stun.codec.ChannelData.toPayload(frame.retain());
                    peer.sendChannelData(peer, channel, payload);
                } catch (Exception e) {
                    seen.add(e.toString());
                } finally {
                    frame.release();
                }
                return true;
            }

            @Override
            public void onConnectionClosed(StunPeer peer) {
                seen.add("closed " + peer.transport().label());
            }
        };
        try (StunServer server = new StunServer(StunSettings.loopbackEphemeral(), net,
                new StunMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), turn).start()) {
            try (Socket s = new Socket()) {
                s.connect(server.tcpAddress(), 5000);
                s.setSoTimeout(5000);
                s.getOutputStream().write(io.presence.stun.Hex.bytes("40010005 68656c6c6f 000000"));
                s.getOutputStream().flush();
                byte[] echo = new DataInputStream(s.getInputStream()).readNBytes(12);
                assertEquals("4001000568656c6c6f000000", io.presence.stun.Hex.of(echo), "padded again on the way out");
            }
            assertEquals("tcp 4001000568656c6c6f", seen.poll(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("closed tcp", seen.poll(5, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void closeIsIdempotentAndReleasesThePort() throws Exception {
        StunServer server = new StunServer(StunSettings.loopbackEphemeral(), net, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start();
        InetSocketAddress udp = server.udpAddress();
        assertThrows(IllegalStateException.class, server::start);
        server.close();
        server.close();
        try (StunServer again = new StunServer(StunSettings.loopbackEphemeral().withBind("127.0.0.1", udp.getPort()), net,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start()) {
            assertEquals(udp, again.udpAddress());
            assertThrows(IllegalStateException.class, () -> new StunServer(
                    StunSettings.loopbackEphemeral().withBind("127.0.0.1", udp.getPort()), net,
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start(), "port in use");
        }
    }

    @Test
    void softwareOnlyWhenConfigured() throws Exception {
        try (StunServer server = new StunServer(StunSettings.loopbackEphemeral().withSoftware("presence"), net,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start();
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5000);
            byte[] r = udpExchange(socket, server.udpAddress(), bindingRequest(false));
            assertEquals("presence", StunMessage.decode(r, 0, r.length).first(AttributeType.SOFTWARE).utf8());
        }
    }
}
