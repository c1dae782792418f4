package io.presence.net;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.Optional;

/**
 * Whether a private key belongs to a certificate. A TLS library loads a certificate and a key that do not belong
 * together without complaint and then fails every handshake; renewal tools write the two files one after the
 * other, so a reload between the two writes would see exactly that pair.
 */
final class KeyPairMatch {
    static final String MISMATCH = "the private key does not belong to the certificate";
    private static final byte[] PROBE = "presence key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairMatch() { }

    /** Empty when {@code key} is the private half of {@code certificate}'s public key; otherwise the reason. */
    static Optional<String> mismatch(PrivateKey key, X509Certificate certificate) {
        PublicKey pub = certificate.getPublicKey();
        if (key instanceof RSAKey rsaPrivate && pub instanceof RSAKey rsaPublic) {
            // Same modulus, same pair; this also covers RSASSA-PSS keys, whose signatures need parameters.
            return rsaPrivate.getModulus().equals(rsaPublic.getModulus()) ? Optional.empty() : Optional.of(MISMATCH);
        }
        if (!family(key.getAlgorithm()).equals(family(pub.getAlgorithm()))) {
            return Optional.of(MISMATCH + " (key: " + key.getAlgorithm() + ", certificate: " + pub.getAlgorithm()
                    + ")");
        }
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm(pub.getAlgorithm()));
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(pub.getAlgorithm()));
            verifier.initVerify(pub);
            verifier.update(PROBE);
            return verifier.verify(signature) ? Optional.empty() : Optional.of(MISMATCH);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.of(MISMATCH + " (" + e.getMessage() + ")");
        }
    }

    private static String family(String algorithm) {
        return switch (algorithm) {
            case "RSA", "RSASSA-PSS" -> "RSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> algorithm;
        };
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> keyAlgorithm; // Ed25519, Ed448, EdDSA: the key algorithm names its signature
        };
    }
}
