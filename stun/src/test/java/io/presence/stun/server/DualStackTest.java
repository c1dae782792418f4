package io.presence.stun.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.net.NetStack;
import io.presence.stun.AttributeType;
import io.presence.stun.MessageClass;
import io.presence.stun.Method;
import io.presence.stun.StunMessage;
import io.presence.stun.attr.XorAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default bind address (every interface) serves both families over UDP and TCP. */
@Timeout(30)
class DualStackTest {
    private static NetStack net;

    @BeforeAll
    static void net() {
        net = NetStack.create(2, true);
    }

    @AfterAll
    static void shutdown() {
        net.shutdown(Duration.ofSeconds(2));
    }

    private static DatagramSocket ipv6Loopback() {
        try {
            return new DatagramSocket(new InetSocketAddress("::1", 0));
        } catch (SocketException e) {
            Assumptions.abort("no IPv6 loopback here: " + e);
            return null;
        }
    }

    @Test
    void withDefaultSettingsUdpBindingAnswersOnBothFamilies() throws Exception {
        StunSettings defaults = StunSettings.defaults().withBind(StunSettings.DEFAULT_BIND_HOST, 0);
        try (DatagramSocket v6 = ipv6Loopback(); DatagramSocket v4 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             StunServer server = new StunServer(defaults, net, new SimpleMeterRegistry()).start()) {
            int port = server.udpAddress().getPort();
            v6.setSoTimeout(5000);
            v4.setSoTimeout(5000);
            byte[] r6 = StunServerTest.udpExchange(v6, new InetSocketAddress("::1", port), StunServerTest.bindingRequest(true));
            StunMessage m6 = StunMessage.decode(r6, 0, r6.length);
            assertTrue(m6.is(Method.BINDING, MessageClass.SUCCESS_RESPONSE));
            InetSocketAddress mapped6 = XorAddress.decode(m6.first(AttributeType.XOR_MAPPED_ADDRESS));
            assertInstanceOf(Inet6Address.class, mapped6.getAddress(), "an IPv6 client learns an IPv6 address");
            assertEquals(v6.getLocalSocketAddress(), mapped6);

            byte[] r4 = StunServerTest.udpExchange(v4, new InetSocketAddress("127.0.0.1", port),
                    StunServerTest.bindingRequest(true));
            StunMessage m4 = StunMessage.decode(r4, 0, r4.length);
            InetSocketAddress mapped4 = XorAddress.decode(m4.first(AttributeType.XOR_MAPPED_ADDRESS));
            assertInstanceOf(Inet4Address.class, mapped4.getAddress());
            assertEquals(v4.getLocalSocketAddress(), mapped4);
            assertEquals(server.boundUdpSockets(), server.udpChannels().size() - 1,
                    "the IPv4 sockets as they were, and one IPv6 socket beside them");

            try (Socket tcp6 = new Socket()) {
                tcp6.connect(new InetSocketAddress("::1", server.tcpAddress().getPort()), 5000);
                tcp6.setSoTimeout(5000);
                tcp6.getOutputStream().write(StunServerTest.bindingRequest(false));
                byte[] r = StunServerTest.readFrame(tcp6.getInputStream());
                assertEquals(tcp6.getLocalSocketAddress(),
                        XorAddress.decode(StunMessage.decode(r, 0, r.length).first(AttributeType.XOR_MAPPED_ADDRESS)));
            }
        }
    }

    @Test
    void aSpecificIpv4AddressServesIpv4Only() throws Exception {
        try (StunServer server = new StunServer(StunSettings.loopbackEphemeral(), net, new SimpleMeterRegistry()).start()) {
            assertTrue(server.udpAddressIpv6().isEmpty());
        }
    }
}
