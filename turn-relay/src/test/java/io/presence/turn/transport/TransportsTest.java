package io.presence.turn.transport;

import io.presence.stun.AttributeType;
import io.presence.stun.attr.AddressFamily;
import io.presence.stun.attr.RequestedTransport;
import io.presence.stun.server.StunSettings;
import io.presence.turn.TurnFixture;
import io.presence.turn.TurnFixture.Peer;
import io.presence.turn.TurnTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP and TLS client transports, and IPv6 relayed addresses. */
class TransportsTest {
    private TurnFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Allocate, ChannelBind, ChannelData both ways (padded on the stream), Send/Data, then the connection closes. */
    private void exercise(TurnTestClient c, String transport) throws Exception {
        try (Peer peer = new Peer()) {
            assertEquals(0, code(c.allocate()));
            assertEquals(1.0, f.counter("turn.allocations.created", "transport", transport));
            assertEquals(0, c.channelBind(0x4000, peer.address()));
            c.sendChannel(0x4000, bytes("odd-length"));
            DatagramPacket got = peer.receive(2000);
            assertNotNull(got);
            assertArrayEquals(bytes("odd-length"), got.getData());
            peer.send(c.relay, bytes("reply!!"));
            TurnTestClient.Delivery d = c.receiveData(2000);
            assertEquals(0x4000, d.channel());
            assertArrayEquals(bytes("reply!!"), d.data());
            c.send(peer.address(), bytes("indication"));
            assertArrayEquals(bytes("indication"), peer.receive(2000).getData());
            c.close();
            // RFC 8656: over a stream the allocation ends with the connection.
            TurnFixture.eventually(() -> f.server.activeAllocations() == 0, "allocation closed with the connection");
        }
    }

    @Test
    void tcpClientTransport() throws Exception {
        f = new TurnFixture();
        Socket s = new Socket(f.server.tcpAddress().getAddress(), f.server.tcpAddress().getPort());
        TurnTestClient c = new TurnTestClient(s).credentials(f.mint("room", "alice"));
        exercise(c, "tcp");
    }

    @Test
    void tlsClientTransport(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("turn.p12");
        char[] pass = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "turn", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(30, TimeUnit.SECONDS));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, pass);
        }
        Path cert = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", ks.getCertificate("turn").getEncoded()));
        Path key = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", ks.getKey("turn", pass).getEncoded()));
        f = new TurnFixture(b -> b.listener(StunSettings.loopbackEphemeral().withTls(new StunSettings.Tls(0, cert, key))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        var tls = f.server.tlsAddress().orElseThrow();
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(tls.getAddress(), tls.getPort());
        s.startHandshake();
        TurnTestClient c = new TurnTestClient(s).credentials(f.mint("room", "alice"));
        exercise(c, "tls");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Test
    void ipv6RelayedAddress() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        f = new TurnFixture(b -> b.relayIpv6(v6).allowPeers(List.of("127.0.0.1/32", "::1/128")));
        try (TurnTestClient c = f.client("room", "alice"); Peer peer = new Peer(v6); Peer peer4 = new Peer()) {
            assertEquals(0, code(c.allocate(w -> {
                RequestedTransport.write(w, RequestedTransport.UDP);
                AddressFamily.writeRequested(w, AddressFamily.IPV6);
            })));
            assertTrue(c.relay.getAddress() instanceof Inet6Address, c.relay.toString());
            assertEquals(443, c.createPermission(peer4.address()), "IPv4 peer on an IPv6 allocation");
            assertEquals(403, c.createPermission(new java.net.InetSocketAddress("fe80::1", 5000)));
            assertEquals(403, c.createPermission(new java.net.InetSocketAddress("64:ff9b::a00:1", 5000)),
                    "the NAT64 form of 10.0.0.1 is checked as 10.0.0.1");
            assertEquals(403, c.createPermission(new java.net.InetSocketAddress("2002:a9fe:a9fe::1", 5000)),
                    "the 6to4 form of 169.254.169.254");
            assertEquals(0, c.channelBind(0x4000, peer.address()));
            c.sendChannel(0x4000, bytes("over v6"));
            DatagramPacket got = peer.receive(2000);
            assertArrayEquals(bytes("over v6"), got.getData());
            assertEquals(c.relay, got.getSocketAddress());
            peer.send(c.relay, bytes("back"));
            assertArrayEquals(bytes("back"), c.receiveData(2000).data());
            assertEquals(1.0, f.registry.get("turn.peer.sockets").gauge().value(),
                    "both ways through a peer socket of the IPv6 relay address");
        }
    }
}
