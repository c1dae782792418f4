package io.presence.signaling.app;

import io.presence.signaling.app.config.PresenceConfig;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole appliance in this process on loopback, configured by a YAML file a client-side tool (the doctor)
 * can read too: fixed STUN/TURN and TLS ports (the file must name them), a TURN secret, a throwaway keytool
 * certificate, a relay range outside the ephemeral ports.
 */
public final class RunningAppliance implements AutoCloseable {

    public static final int RELAY_PORT_MIN = 27100;
    public static final int RELAY_PORT_MAX = 27299;

    private final Path config;
    private final String secret;
    private final int port;
    private final int tlsPort;
    private final Appliance appliance;

    private RunningAppliance(Path config, String secret, int port, int tlsPort, Appliance appliance) {
        this.config = config;
        this.secret = secret;
        this.port = port;
        this.tlsPort = tlsPort;
        this.appliance = appliance;
    }

    /** Starts it with a certificate valid for {@code certificateDays} (0 = no TLS listener). */
    public static RunningAppliance start(Path dir, int certificateDays) throws Exception {
        String secret = randomSecret();
        int port = freePort();
        int tlsPort = certificateDays > 0 ? freePort() : 0;
        String tls = "";
        if (certificateDays > 0) {
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            writeCertificate(dir, certificateDays, cert, key);
            tls = "  tlsPort: " + tlsPort + "\n  tlsCertificate: " + cert + "\n  tlsPrivateKey: " + key + "\n";
        }
        Path config = dir.resolve("presence.yaml");
        Files.writeString(config, yaml(dir.resolve("data"), secret, port, tls));
        Appliance appliance = new Appliance(PresenceConfig.load(config, Map.of()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        appliance.start();
        return new RunningAppliance(config, secret, port, tlsPort, appliance);
    }

    /** The same file with another TURN secret: what a doctor with a stale copy of the configuration reads. */
    public Path withSecret(Path dir, String otherSecret) throws IOException {
        Path other = dir.resolve("other-secret.yaml");
        Files.writeString(other, Files.readString(config).replace(secret, otherSecret));
        return other;
    }

    private static String yaml(Path data, String secret, int port, String tls) {
        return "server:\n  dataDir: " + data + "\n  publicHost: 127.0.0.1\n  shutdownGrace: 1s\n  ioThreads: 2\n"
                + "stun:\n  host: 127.0.0.1\n  port: " + port + "\n" + tls
                + "turn:\n  secrets: [\"" + secret + "\"]\n  relayPortMin: " + RELAY_PORT_MIN + "\n  relayPortMax: "
                + RELAY_PORT_MAX + "\n"
                + "signaling:\n  host: 127.0.0.1\n  wsPort: 0\n  tcpPort: 0\n"
                + "metrics:\n  host: 127.0.0.1\n  port: 0\n";
    }

    public static String randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A port free for both UDP and TCP on loopback just now. */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int candidate = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        candidate))) {
                    return candidate;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    /** A self-signed EC certificate for 127.0.0.1 made by the JDK's keytool, as PEM files. */
    public static void writeCertificate(Path dir, int days, Path cert, Path key) throws Exception {
        Path store = dir.resolve("tls-" + days + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "stun", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", String.valueOf(days), "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(keytool.getInputStream().readAllBytes()));
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("stun").getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", ks.getKey("stun", "changeit".toCharArray()).getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    public Path config() {
        return config;
    }

    public String secret() {
        return secret;
    }

    public int port() {
        return port;
    }

    public int tlsPort() {
        return tlsPort;
    }

    @Override
    public void close() {
        appliance.stop();
    }
}
