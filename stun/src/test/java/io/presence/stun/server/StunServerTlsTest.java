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

    @Test
    void bindingOverTls(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("stun.p12");
        char[] pass = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "stun", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, pass);
        }
        Path cert = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", ks.getCertificate("stun").getEncoded()));
        Path key = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", ks.getKey("stun", pass).getEncoded()));

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
