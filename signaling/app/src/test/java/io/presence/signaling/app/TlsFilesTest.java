package io.presence.signaling.app;

import io.presence.signaling.app.config.ConfigException;
import io.presence.signaling.app.config.PresenceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS key and certificate files as operators bring them (made by openssl): what {@code check-config} accepts is what
 * {@code serve} serves, in every PEM form, and what one refuses the other refuses with the same line.
 */
class TlsFilesTest {

    private static final Pattern WSS = Pattern.compile("wss://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ExternalTools.require("openssl").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), command + "\n" + out);
    }

    /** {@code <name>.key} in the given form and {@code <name>.pem}, a certificate for it signed by a test CA. */
    private void keyAndChain(String name, String... keyCommand) throws Exception {
        if (!Files.exists(dir.resolve("ca.key"))) {
            openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
            openssl("req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=presence-test-ca", "-days", "2",
                    "-out", "ca.pem");
        }
        openssl(keyCommand);
        openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + name, "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", name + ".leaf");
        Files.writeString(dir.resolve(name + ".pem"), Files.readString(dir.resolve(name + ".leaf"))
                + Files.readString(dir.resolve("ca.pem")));
    }

    private Map<String, String> tlsEnv(String name) {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data-" + name));
        env.put("PRESENCE_SIGNALING_TLS_CERTIFICATE", dir.resolve(name + ".pem").toString());
        env.put("PRESENCE_SIGNALING_TLS_PRIVATE_KEY", dir.resolve(name + ".key").toString());
        env.put("PRESENCE_SIGNALING_WSS_PORT", "0");
        return env;
    }

    @Test
    void everyPemKeyFormPassesTheCheckAndServesItsChain() throws Exception {
        keyAndChain("pkcs1", "genrsa", "-traditional", "-out", "pkcs1.key", "2048");
        keyAndChain("sec1", "ecparam", "-name", "prime256v1", "-genkey", "-out", "sec1.key");
        keyAndChain("pkcs8", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "pkcs8.key");
        assertTrue(Files.readString(dir.resolve("pkcs1.key")).contains("BEGIN RSA PRIVATE KEY"));
        assertTrue(Files.readString(dir.resolve("sec1.key")).contains("BEGIN EC PRIVATE KEY"));

        for (String name : List.of("pkcs1", "sec1", "pkcs8")) {
            PresenceConfig config = PresenceConfig.load(null, tlsEnv(name)); // what check-config runs
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            try (Appliance a = new Appliance(config, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
                a.start();
                Matcher wss = WSS.matcher(printed.toString(StandardCharsets.UTF_8));
                assertTrue(wss.find(), printed.toString(StandardCharsets.UTF_8));
                Certificate[] chain = handshake(Integer.parseInt(wss.group(1)));
                assertEquals(2, chain.length, name + ": the whole chain is served");
                assertTrue(((X509Certificate) chain[0]).getSubjectX500Principal().getName().contains(name), name);
                assertTrue(((X509Certificate) chain[1]).getSubjectX500Principal().getName()
                        .contains("presence-test-ca"), name);
            }
        }
    }

    @Test
    void aKeyOfAnotherPairIsRefusedByCheckConfigAndServeWithTheSameLine() throws Exception {
        keyAndChain("server", "genrsa", "-traditional", "-out", "server.key", "2048");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "other.key");
        Map<String, String> env = tlsEnv("server");
        env.put("PRESENCE_SIGNALING_TLS_PRIVATE_KEY", dir.resolve("other.key").toString());

        PresenceCli cli = new PresenceCli(dir);
        PresenceCli.Run check = cli.run(env, "check-config");
        PresenceCli.Run serve = cli.run(env, "serve");
        assertEquals(2, check.exit(), check.toString());
        assertEquals(2, serve.exit(), serve.toString());
        assertEquals(check.stderr(), serve.stderr());
        assertEquals("invalid configuration: signaling.tlsPrivateKey = \"" + dir.resolve("other.key") + "\": the "
                + "private key does not belong to the certificate (key: EC, certificate: RSA) (allowed: a PEM "
                + "private key: BEGIN PRIVATE KEY (PKCS#8), BEGIN RSA PRIVATE KEY (PKCS#1) or BEGIN EC PRIVATE KEY "
                + "(SEC1), not encrypted, of the first certificate in signaling.tlsCertificate)\n", check.stderr());
    }

    @Test
    void anEncryptedKeyIsRefusedWithTheWayOut() throws Exception {
        keyAndChain("server", "genrsa", "-traditional", "-out", "server.key", "2048");
        openssl("pkey", "-in", "server.key", "-aes256", "-passout", "pass:secret", "-out", "encrypted.key");
        Map<String, String> env = tlsEnv("server");
        env.put("PRESENCE_STUN_TLS_CERTIFICATE", dir.resolve("server.pem").toString());
        env.put("PRESENCE_STUN_TLS_PRIVATE_KEY", dir.resolve("encrypted.key").toString());
        ConfigException e = assertThrows(ConfigException.class, () -> PresenceConfig.load(null, env));
        assertEquals("stun.tlsPrivateKey", e.key());
        assertTrue(e.getMessage().contains(": encrypted private keys are not supported; decrypt with openssl pkey"),
                e.getMessage());
    }

    /** A TLS handshake with the listener on loopback; the certificates it presented. */
    private static Certificate[] handshake(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) { }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) { }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return socket.getSession().getPeerCertificates();
        }
    }
}
