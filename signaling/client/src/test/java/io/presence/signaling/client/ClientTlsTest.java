package io.presence.signaling.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS on both transports against certificates made here with the JDK's keytool. */
class ClientTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static ClientRuntime runtime;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startRuntime() {
        runtime = ClientRuntime.create(1);
    }

    @AfterAll
    static void stopRuntime() {
        runtime.close();
    }

    /** A self-signed certificate for {@code san} (keytool's -ext SAN syntax) in a PKCS#12 store. */
    private static KeyStore certificate(String name, String san) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "SAN=" + san, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, p.exitValue(), output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }

    private static SslContext serverContext(KeyStore keys) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        return SslContextBuilder.forServer(kmf).build();
    }

    private static SSLContext trusting(KeyStore keys) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static ClientSession connect(FakeServer server, ClientTls tls) {
        return SignalingClient.builder().options(server.options()).tls(tls).runtime(runtime).build().connect();
    }

    @ParameterizedTest
    @EnumSource(ClientOptions.Transport.class)
    void aTrustedCertificateForTheAddressConnects(ClientOptions.Transport transport) throws Exception {
        KeyStore keys = certificate("loopback-" + transport, "ip:127.0.0.1");
        try (FakeServer server = FakeServer.start(transport, serverContext(keys))) {
            ClientSession session = connect(server, ClientTls.trusting(trusting(keys)));
            assertEquals("session-1", session.hello("ann").sessionId());
            session.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ClientOptions.Transport.class)
    void aCertificateForAnotherNameIsRefusedUnlessVerificationIsOff(ClientOptions.Transport transport)
            throws Exception {
        KeyStore keys = certificate("elsewhere-" + transport, "dns:elsewhere.example");
        try (FakeServer server = FakeServer.start(transport, serverContext(keys))) {
            ClientTls trusted = ClientTls.trusting(trusting(keys));
            assertThrows(IllegalStateException.class, () -> connect(server, trusted));
            ClientSession session = connect(server, trusted.withoutHostnameVerification());
            assertEquals("session-1", session.hello("ann").sessionId());
            session.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ClientOptions.Transport.class)
    void anUntrustedCertificateIsRefused(ClientOptions.Transport transport) throws Exception {
        KeyStore keys = certificate("untrusted-" + transport, "ip:127.0.0.1");
        try (FakeServer server = FakeServer.start(transport, serverContext(keys))) {
            assertThrows(IllegalStateException.class, () -> connect(server, ClientTls.system()));
        }
    }
}
