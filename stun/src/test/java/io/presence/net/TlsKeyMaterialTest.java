package io.presence.net;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys in every PEM form openssl writes load through the one loader, and the context built from them completes a
 * TLS handshake presenting the whole chain.
 */
class TlsKeyMaterialTest {

    @TempDir
    Path dir;

    /** Writes {@code key.pem} in the named form. */
    private void key(OpenSsl openssl, String form) throws Exception {
        switch (form) {
            case "rsa-pkcs1" -> openssl.run("genrsa", "-traditional", "-out", "key.pem", "2048");
            case "rsa-pkcs8" -> openssl.run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", "key.pem");
            case "ec-sec1-with-parameters" -> openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-out",
                    "key.pem");
            case "ec-sec1" -> openssl.run("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "key.pem");
            case "ec-pkcs8" -> openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", "key.pem");
            default -> throw new IllegalArgumentException(form);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs1", "rsa-pkcs8", "ec-sec1-with-parameters", "ec-sec1", "ec-pkcs8"})
    void everyKeyFormLoadsAndServesAHandshake(String form) throws Exception {
        OpenSsl openssl = OpenSsl.in(dir);
        key(openssl, form);
        openssl.selfSigned("key.pem", "cert.pem", "presence-test");
        String header = Files.readString(dir.resolve("key.pem"));
        assertTrue(header.contains(switch (form) {
            case "rsa-pkcs1" -> "BEGIN RSA PRIVATE KEY";
            case "ec-sec1-with-parameters" -> "BEGIN EC PARAMETERS";
            case "ec-sec1" -> "BEGIN EC PRIVATE KEY";
            default -> "BEGIN PRIVATE KEY";
        }), header);

        TlsKeyMaterial material = TlsKeyMaterial.load(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        assertEquals(1, material.chain().length);
        try (ReloadingSslContext tls = new ReloadingSslContext(dir.resolve("cert.pem"), dir.resolve("key.pem"))) {
            Certificate[] presented = handshake(tls);
            assertEquals(material.chain()[0], presented[0]);
        }
    }

    @Test
    void aChainFileIsServedAsTheWholeChain() throws Exception {
        OpenSsl openssl = OpenSsl.in(dir);
        openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
        openssl.selfSigned("ca.key", "ca.pem", "presence-test-ca");
        openssl.run("genrsa", "-traditional", "-out", "key.pem", "2048");
        openssl.signed("key.pem", "leaf.pem", "presence-test-leaf", "ca.pem", "ca.key");
        Files.writeString(dir.resolve("chain.pem"), Files.readString(dir.resolve("leaf.pem"))
                + Files.readString(dir.resolve("ca.pem")));

        try (ReloadingSslContext tls = new ReloadingSslContext(dir.resolve("chain.pem"), dir.resolve("key.pem"))) {
            Certificate[] presented = handshake(tls);
            assertEquals(2, presented.length);
            assertTrue(((X509Certificate) presented[0]).getSubjectX500Principal().getName().contains("leaf"));
            assertTrue(((X509Certificate) presented[1]).getSubjectX500Principal().getName().contains("-ca"));
        }
    }

    @Test
    void encryptedKeysAreRefusedWithTheWayOut() throws Exception {
        OpenSsl openssl = OpenSsl.in(dir);
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "plain.pem");
        openssl.selfSigned("plain.pem", "cert.pem", "presence-test");
        openssl.run("pkey", "-in", "plain.pem", "-aes256", "-passout", "pass:secret", "-out", "pkcs8.pem");
        openssl.run("genrsa", "-traditional", "-aes128", "-passout", "pass:secret", "-out", "traditional.pem", "2048");
        assertTrue(Files.readString(dir.resolve("pkcs8.pem")).contains("BEGIN ENCRYPTED PRIVATE KEY"));
        assertTrue(Files.readString(dir.resolve("traditional.pem")).contains("Proc-Type: 4,ENCRYPTED"));
        for (String key : new String[]{"pkcs8.pem", "traditional.pem"}) {
            TlsKeyMaterial.Unusable e = assertThrows(TlsKeyMaterial.Unusable.class,
                    () -> TlsKeyMaterial.load(dir.resolve("cert.pem"), dir.resolve(key)));
            assertEquals(TlsKeyMaterial.Part.PRIVATE_KEY, e.part());
            assertEquals("encrypted private keys are not supported; decrypt with openssl pkey "
                    + "(openssl pkey -in key.pem -out key-plain.pem)", e.getMessage());
        }
    }

    @Test
    void aKeyOfAnotherPairIsRefusedInEveryForm() throws Exception {
        OpenSsl openssl = OpenSsl.in(dir);
        openssl.run("genrsa", "-traditional", "-out", "key.pem", "2048");
        openssl.selfSigned("key.pem", "cert.pem", "presence-test");
        openssl.run("genrsa", "-traditional", "-out", "other-rsa.pem", "2048");
        openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-out", "other-ec.pem");
        for (String other : new String[]{"other-rsa.pem", "other-ec.pem"}) {
            TlsKeyMaterial.Unusable e = assertThrows(TlsKeyMaterial.Unusable.class,
                    () -> TlsKeyMaterial.load(dir.resolve("cert.pem"), dir.resolve(other)));
            assertEquals(TlsKeyMaterial.Part.PRIVATE_KEY, e.part());
            assertTrue(e.getMessage().startsWith("the private key does not belong to the certificate"),
                    e.getMessage());
            IllegalStateException atStart = assertThrows(IllegalStateException.class,
                    () -> new ReloadingSslContext(dir.resolve("cert.pem"), dir.resolve(other)));
            assertTrue(atStart.getMessage().endsWith(dir.resolve(other) + ": " + e.getMessage()), atStart.getMessage());
        }
    }

    @Test
    void filesWithoutTheExpectedBlocksNameTheFileAtFault() throws Exception {
        OpenSsl openssl = OpenSsl.in(dir);
        openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        openssl.selfSigned("key.pem", "cert.pem", "presence-test");
        Files.writeString(dir.resolve("empty.pem"), "not a pem file\n");
        Files.writeString(dir.resolve("ssh.pem"), "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n"
                + "-----END OPENSSH PRIVATE KEY-----\n");

        TlsKeyMaterial.Unusable noCert = assertThrows(TlsKeyMaterial.Unusable.class,
                () -> TlsKeyMaterial.load(dir.resolve("key.pem"), dir.resolve("key.pem")));
        assertEquals(TlsKeyMaterial.Part.CERTIFICATE_CHAIN, noCert.part());
        assertEquals("no certificate found", noCert.getMessage());

        TlsKeyMaterial.Unusable noKey = assertThrows(TlsKeyMaterial.Unusable.class,
                () -> TlsKeyMaterial.load(dir.resolve("cert.pem"), dir.resolve("empty.pem")));
        assertEquals(TlsKeyMaterial.Part.PRIVATE_KEY, noKey.part());
        assertEquals("no private key found", noKey.getMessage());

        TlsKeyMaterial.Unusable ssh = assertThrows(TlsKeyMaterial.Unusable.class,
                () -> TlsKeyMaterial.load(dir.resolve("cert.pem"), dir.resolve("ssh.pem")));
        assertEquals("BEGIN OPENSSH PRIVATE KEY is not a supported key format", ssh.getMessage());

        // One file holding both, as some tools write it, serves as either.
        Files.writeString(dir.resolve("both.pem"), Files.readString(dir.resolve("cert.pem"))
                + Files.readString(dir.resolve("key.pem")));
        TlsKeyMaterial.load(dir.resolve("both.pem"), dir.resolve("both.pem"));
    }

    @Test
    void aSec1KeyWithoutItsCurveTakesItFromTheEcParametersBlock() throws Exception {
        OpenSsl openssl = OpenSsl.in(dir);
        openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-out", "key.pem");
        openssl.selfSigned("key.pem", "cert.pem", "presence-test");
        List<PemBlock> blocks = PemBlock.parse(Files.readString(dir.resolve("key.pem")));
        PemBlock parameters = blocks.stream().filter(b -> b.type().equals("EC PARAMETERS")).findFirst().orElseThrow();
        PemBlock key = blocks.stream().filter(b -> b.type().equals("EC PRIVATE KEY")).findFirst().orElseThrow();
        // The same key without its [0] curve parameters, as some tools write it.
        List<byte[]> kept = new ArrayList<>();
        for (Der.Element e : Der.parse(key.der()).children()) {
            if (e.tag() != Der.CONTEXT_0) {
                kept.add(e.encoded());
            }
        }
        byte[] bare = Der.sequence(kept.toArray(new byte[0][]));

        Files.writeString(dir.resolve("with-parameters.pem"), pem("EC PARAMETERS", parameters.der())
                + pem("EC PRIVATE KEY", bare));
        TlsKeyMaterial.load(dir.resolve("cert.pem"), dir.resolve("with-parameters.pem"));

        Files.writeString(dir.resolve("bare.pem"), pem("EC PRIVATE KEY", bare));
        TlsKeyMaterial.Unusable e = assertThrows(TlsKeyMaterial.Unusable.class,
                () -> TlsKeyMaterial.load(dir.resolve("cert.pem"), dir.resolve("bare.pem")));
        assertTrue(e.getMessage().startsWith("the EC private key does not name its curve"), e.getMessage());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A handshake between the context's server engine and a client that trusts anything; the chain it was shown. */
    static Certificate[] handshake(ReloadingSslContext tls) throws Exception {
        SSLEngine server = tls.current().newEngine(ByteBufAllocator.DEFAULT);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{new TrustAll()}, null);
        SSLEngine client = context.createSSLEngine("presence-test", 443);
        client.setUseClientMode(true);
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        ByteBuffer app = ByteBuffer.allocate(1 << 17);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 1000 && !(idle(client) && idle(server)); i++) {
            step(client, toClient, toServer, app);
            step(server, toServer, toClient, app);
        }
        assertTrue(idle(client) && idle(server), "handshake did not finish");
        return client.getSession().getPeerCertificates();
    }

    private static boolean idle(SSLEngine e) {
        HandshakeStatus s = e.getHandshakeStatus();
        return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws Exception {
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                engine.unwrap(in, app);
                in.compact();
                app.clear();
            }
            case NEED_TASK -> {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            }
            default -> { }
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
