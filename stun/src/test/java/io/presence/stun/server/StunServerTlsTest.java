package io.presence.stun.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.net.NetStack;
import io.presence.stun.AttributeType;
import io.presence.stun.StunMessage;
import io.presence.stun.attr.XorAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** STUN over TLS with a throwaway certificate made by the JDK's keytool. */
@Timeout(60)
class StunServerTlsTest {

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A throwaway self-signed certificate for 127.0.0.1, made by keytool. */
    static KeyStore keyStore(Path dir, String cn) throws Exception {
        Path store = dir.resolve(cn + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "stun", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, PASS);
        }
        return ks;
    }

    private static final char[] PASS = "changeit".toCharArray();

    static void writePem(KeyStore ks, Path cert, Path key) throws Exception {
        Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("stun").getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", ks.getKey("stun", PASS).getEncoded()));
    }

    /** A client that accepts any certificate and reports the one it was shown. */
    private static String servedCommonName(java.net.InetSocketAddress server) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[]{new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket(server.getAddress(), server.getPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
        }
    }

    @Test
    void renewedCertificateIsServedWithoutARestart(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        writePem(keyStore(dir, "first.example"), cert, key);
        KeyStore second = keyStore(dir, "second.example");
        NetStack net = NetStack.create(1, true);
        StunSettings settings = StunSettings.loopbackEphemeral()
                .withTls(new StunSettings.Tls(0, cert, key, Duration.ofMillis(100)));
        try (StunServer server = new StunServer(settings, net, new SimpleMeterRegistry()).start()) {
            java.net.InetSocketAddress tls = server.tlsAddress().orElseThrow();
            assertEquals("CN=first.example", servedCommonName(tls));
            Thread.sleep(1100); // a new modification time even on file systems with one-second resolution
            writePem(second, cert, key);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String served = servedCommonName(tls);
            while (!served.equals("CN=second.example") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                served = servedCommonName(tls);
            }
            assertEquals("CN=second.example", served);
        } finally {
            net.shutdown(Duration.ofSeconds(2));
        }
    }

    @Test
    void bindingOverTls(@TempDir Path dir) throws Exception {
        KeyStore ks = keyStore(dir, "localhost");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        writePem(ks, cert, key);

        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        NetStack net = NetStack.create(1, true);
        StunSettings settings = StunSettings.loopbackEphemeral().withTls(new StunSettings.Tls(0, cert, key));
        try (StunServer server = new StunServer(settings, net, registry).start();
             SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(
                     server.tlsAddress().orElseThrow().getAddress(), server.tlsAddress().orElseThrow().getPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            s.getOutputStream().write(StunServerTest.bindingRequest(true));
            s.getOutputStream().flush();
            byte[] r = StunServerTest.readFrame(s.getInputStream());
            StunMessage m = StunMessage.decode(r, 0, r.length);
            assertEquals(s.getLocalSocketAddress(), XorAddress.decode(m.first(AttributeType.XOR_MAPPED_ADDRESS)));
            assertTrue(m.hasFingerprint());
            assertEquals(1.0, registry.get("stun.binding.requests").tag("transport", "tls").counter().count());
        } finally {
            net.shutdown(Duration.ofSeconds(2));
        }
    }
}
