package io.presence.stun.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.presence.net.NetStack;
import io.presence.stun.AttributeType;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.StunMessageWriter;
import io.presence.stun.TransactionId;
import io.presence.stun.attr.Address;
import io.presence.stun.attr.XorAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 5780 on loopback: 127.0.0.1 primary, 127.0.0.2 alternate (Linux routes all of 127/8 to lo). */
@Timeout(30)
class Rfc5780Test {

    static int freeUdpPort(String host) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(host, 0))) {
            return s.getLocalPort();
        }
    }

    static byte[] request(long changeFlags) {
        ByteBuf out = Unpooled.buffer();
        StunMessageWriter w = StunMessageWriter.begin(out, Method.BINDING, MessageClass.REQUEST, TransactionId.random());
        if (changeFlags >= 0) {
            w.u32(AttributeType.CHANGE_REQUEST, changeFlags);
        }
        w.finish();
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        out.release();
        return b;
    }

    record Answer(InetSocketAddress source, StunMessage message) {
    }

    static Answer ask(DatagramSocket socket, InetSocketAddress to, byte[] request) throws Exception {
        socket.send(new DatagramPacket(request, request.length, to));
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return new Answer((InetSocketAddress) p.getSocketAddress(), StunMessage.decode(Arrays.copyOf(buf, p.getLength()), 0, p.getLength()));
    }

    @Test
    void changeRequestIsHonouredAndAddressesNamed() throws Exception {
        int port = freeUdpPort("127.0.0.1");
        int altPort = freeUdpPort("127.0.0.2");
        InetSocketAddress alternate = new InetSocketAddress("127.0.0.2", altPort);
        StunSettings settings = StunSettings.loopbackEphemeral().withBind("127.0.0.1", port).withAlternate(alternate);
        NetStack net = NetStack.create(1, true);
        try (StunServer server = new StunServer(settings, net, new SimpleMeterRegistry()).start();
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5000);
            InetSocketAddress primary = server.udpAddress();
            assertEquals(Optional.of(alternate), server.otherAddress());

            Answer plain = ask(socket, primary, request(-1));
            assertEquals(primary, plain.source());
            assertEquals(primary, Address.decode(plain.message().first(AttributeType.RESPONSE_ORIGIN)));
            assertEquals(alternate, Address.decode(plain.message().first(AttributeType.OTHER_ADDRESS)));
            assertEquals(socket.getLocalSocketAddress(), XorAddress.decode(plain.message().first(AttributeType.XOR_MAPPED_ADDRESS)));

            long[][] cases = {{0x06, 1, 1}, {0x04, 1, 0}, {0x02, 0, 1}, {0x00, 0, 0}};
            for (long[] c : cases) {
                Answer a = ask(socket, primary, request(c[0]));
                InetSocketAddress expected = new InetSocketAddress(c[1] == 1 ? "127.0.0.2" : "127.0.0.1",
                        c[2] == 1 ? altPort : port);
                assertEquals(expected, a.source(), "flags " + c[0]);
                assertEquals(expected, Address.decode(a.message().first(AttributeType.RESPONSE_ORIGIN)));
            }
            Answer fromAlternate = ask(socket, alternate, request(-1));
            assertEquals(primary, Address.decode(fromAlternate.message().first(AttributeType.OTHER_ADDRESS)));
            assertEquals(alternate, fromAlternate.source());
        } finally {
            net.shutdown(Duration.ofSeconds(2));
        }
    }

    @Test
    void offByDefaultAndConfigurationChecked() {
        assertTrue(StunSettings.defaults().alternate().isEmpty());
        InetSocketAddress alt = new InetSocketAddress("127.0.0.2", 3479);
        assertThrows(IllegalArgumentException.class, () -> StunSettings.defaults().withAlternate(alt), "wildcard bind");
        assertThrows(IllegalArgumentException.class,
                () -> StunSettings.defaults().withBind("127.0.0.1", 3478).withAlternate(new InetSocketAddress("127.0.0.1", 3479)));
        assertThrows(IllegalArgumentException.class,
                () -> StunSettings.defaults().withBind("127.0.0.1", 3479).withAlternate(alt));
        assertFalse(StunSettings.defaults().withBind("127.0.0.1", 3478).withAlternate(alt).alternate().isEmpty());
    }
}
