package io.presence.net;

import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A renewal seen between its two file writes must not replace a working context with a broken one. */
class ReloadingSslContextTest {
    private static final char[] PASS = "changeit".toCharArray();

    @Test
    void aCertificateWithAKeyOfAnotherPairIsNotLoaded(@TempDir Path dir) throws Exception {
        KeyStore first = keyStore(dir, "first");
        KeyStore second = keyStore(dir, "second");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        write(cert, "CERTIFICATE", first.getCertificate("k").getEncoded(), 1);
        write(key, "PRIVATE KEY", first.getKey("k", PASS).getEncoded(), 1);
        try (ReloadingSslContext tls = new ReloadingSslContext(cert, key)) {
            SslContext before = tls.current();

            write(cert, "CERTIFICATE", second.getCertificate("k").getEncoded(), 2); // the key is not written yet
            assertFalse(tls.checkForChange());
            assertSame(before, tls.current());

            write(key, "PRIVATE KEY", second.getKey("k", PASS).getEncoded(), 3);
            assertTrue(tls.checkForChange());
            assertNotSame(before, tls.current());
        }
    }

    @Test
    void aMismatchedPairAtStartIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        KeyStore first = keyStore(dir, "first");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        write(cert, "CERTIFICATE", first.getCertificate("k").getEncoded(), 1);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair other = gen.generateKeyPair();
        write(key, "PRIVATE KEY", other.getPrivate().getEncoded(), 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ReloadingSslContext(cert, key));
        assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
    }

    private static void write(Path file, String type, byte[] der, int second) throws Exception {
        Files.writeString(file, "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n");
        // Distinct modification times without sleeping: the reload looks at size and modification time.
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_700_000_000L + second)));
    }

    private static KeyStore keyStore(Path dir, String cn) throws Exception {
        Path store = dir.resolve(cn + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "k", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, PASS);
        }
        return ks;
    }
}
