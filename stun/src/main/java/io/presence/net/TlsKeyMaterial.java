package io.presence.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A server's TLS identity read from two PEM files: the private key and the certificate chain (the server's
 * certificate first, then intermediates). The one loader behind every TLS listener and {@code check-config}, so a
 * pair that the check accepts is the pair the listeners serve. Key forms: see {@link PrivateKeyPem}.
 *
 * @param privateKey the key of {@code chain[0]}
 * @param chain      at least one certificate
 */
public record TlsKeyMaterial(PrivateKey privateKey, X509Certificate[] chain) {

    /** What a chain file must hold, for error lines. */
    public static final String CHAIN_ALLOWED = "a PEM file of one or more BEGIN CERTIFICATE blocks, the server's "
            + "certificate first";
    /** What a key file must hold, for error lines. */
    public static final String KEY_ALLOWED = PrivateKeyPem.ALLOWED;

    /** Which of the two files a problem is in. */
    public enum Part { CERTIFICATE_CHAIN, PRIVATE_KEY }

    /** The files cannot serve TLS. {@link #getMessage()} is the problem alone; {@link #part()} names the file. */
    public static final class Unusable extends Exception {
        private final Part part;

        Unusable(Part part, String problem) {
            super(problem, null, false, false);
            this.part = part;
        }

        public Part part() {
            return part;
        }
    }

    /** Reads both files and checks that the key belongs to the first certificate. */
    public static TlsKeyMaterial load(Path certificateChain, Path privateKey) throws Unusable {
        X509Certificate[] chain = readChain(certificateChain);
        PrivateKey key;
        try {
            key = PrivateKeyPem.read(PemBlock.parse(read(privateKey, Part.PRIVATE_KEY)));
        } catch (PrivateKeyPem.Unreadable | PemBlock.Malformed e) {
            throw new Unusable(Part.PRIVATE_KEY, e.getMessage());
        }
        Optional<String> mismatch = KeyPairMatch.mismatch(key, chain[0]);
        if (mismatch.isPresent()) {
            throw new Unusable(Part.PRIVATE_KEY, mismatch.get());
        }
        return new TlsKeyMaterial(key, chain);
    }

    private static X509Certificate[] readChain(Path file) throws Unusable {
        List<PemBlock> blocks;
        try {
            blocks = PemBlock.parse(read(file, Part.CERTIFICATE_CHAIN));
        } catch (PemBlock.Malformed e) {
            throw new Unusable(Part.CERTIFICATE_CHAIN, e.getMessage());
        }
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JVM has no X.509 support", e);
        }
        for (PemBlock b : blocks) {
            if (!b.type().equals("CERTIFICATE")) {
                continue; // a combined file may hold the key too
            }
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (CertificateException e) {
                throw new Unusable(Part.CERTIFICATE_CHAIN, "certificate " + (chain.size() + 1)
                        + " cannot be read (" + e.getMessage() + ")");
            }
        }
        if (chain.isEmpty()) {
            throw new Unusable(Part.CERTIFICATE_CHAIN, "no certificate found");
        }
        return chain.toArray(new X509Certificate[0]);
    }

    private static String read(Path file, Part part) throws Unusable {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new Unusable(part, "file does not exist");
        } catch (IOException e) {
            throw new Unusable(part, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
