package io.presence.signaling.transport;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.presence.signaling.client.ClientOptions.Transport;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.ClientTls;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.session.SignalingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** TLS on both listeners with certificates made by openssl; reload on file change. */
class TlsTest {
    static final Duration T = Duration.ofSeconds(5);
    @TempDir
    Path dir;
    TestServer ts;

    @BeforeAll
    static void needsOpenssl() {
        assumeTrue(new File("/usr/bin/openssl").canExecute() || new File("/bin/openssl").canExecute(),
                "openssl is needed to make test certificates");
    }

    @AfterEach
    void stop() {
        if (ts != null) {
            ts.close();
        }
    }

    private void makeCertificate(String cn, Path cert, Path key) throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=" + cn, "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(true, p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    private static ClientTls trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        return ClientTls.trusting(context).withoutHostnameVerification();
    }

    @Test
    void bothTransportsSpeakTlsAndTheCertificateReloads() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        makeCertificate("first.test", cert, key);
        ts = new TestServer(TestServer.settings().tcpTls(true)
                .tls(new SignalingSettings.Tls(cert, key, Duration.ofMillis(100))).build());
        ClientSession tcp = ts.client(ts.options(Transport.TCP).withTls(trustAll()));
        ClientSession ws = ts.client(io.presence.signaling.client.ClientOptions
                .ws(ts.server.secureWebSocketAddress()).withTls(trustAll()));
        tcp.hello("tls-tcp");
        ws.hello("tls-ws");
        String room = tcp.createRoom();
        ws.join(room);
        tcp.chat(room, "c", "over tls");
        assertNotNull(ws.awaitEvent(RoomEvent.ChatPosted.class, T));
        // a plain-text client cannot talk to a TLS listener; the plain WebSocket port stays plain
        assertThrows(IllegalStateException.class, () -> ts.client(io.presence.signaling.client.ClientOptions
                .ws(ts.server.secureWebSocketAddress())));
        ClientSession plain = ts.client(Transport.WS);
        plain.hello("plain");
        plain.join(room);

        assertEquals("CN=first.test", peerSubject(ts.server.tcpAddress()));
        assertEquals("CN=first.test", peerSubject(ts.server.secureWebSocketAddress()));
        Path cert2 = dir.resolve("cert2.pem");
        Path key2 = dir.resolve("key2.pem");
        makeCertificate("second.test", cert2, key2);
        java.nio.file.Files.copy(key2, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.copy(cert2, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Await.until(T, () -> "CN=second.test".equals(peerSubject(ts.server.tcpAddress())), "reloaded certificate");
        // the connection made before the reload still works
        tcp.chat(room, "c2", "still here");
        assertNotNull(ws.awaitEvent(RoomEvent.ChatPosted.class, T));
    }

    @Test
    void tcpStaysPlainUnlessAskedAndNeedsACertificateForTls() throws Exception {
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        makeCertificate("plain-tcp.test", cert, key);
        ts = new TestServer(TestServer.settings().tls(new SignalingSettings.Tls(cert, key)).build());
        ts.client(Transport.TCP).hello("plain tcp");
        assertThrows(IllegalArgumentException.class, () -> TestServer.settings().tcpTls(true).build());
        try (TestServer noTls = TestServer.start()) {
            assertNull(noTls.server.secureWebSocketAddress(), "no certificate, no TLS listener");
        }
    }

    @Test
    void unreadableCertificateStopsTheStart() {
        SignalingSettings bad = TestServer.settings()
                .tls(new SignalingSettings.Tls(dir.resolve("missing.pem"), dir.resolve("missing.key"))).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TestServer(bad));
        assertEquals(true, e.getMessage().contains("missing.pem"), e.getMessage());
    }

    private static String peerSubject(InetSocketAddress address) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(),
                    address.getPort())) {
                socket.setSoTimeout(3000);
                socket.startHandshake();
                return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                        .getName();
            }
        } catch (Exception e) {
            return "error: " + e;
        }
    }
}
