package io.presence.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a PEM private key belongs to the first certificate of a PEM chain. A TLS library loads a certificate
 * and a key that do not belong together without complaint and then fails every handshake; renewal tools write the
 * two files one after the other, so a reload between the two writes would see exactly that pair.
 */
final class KeyPairMatch {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final byte[] PROBE = "presence key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairMatch() { }

    /**
     * Empty when the key signs what the certificate's public key verifies, or when the key is in a form this
     * check does not read (the TLS library has accepted it; a mismatch then shows at the first handshake);
     * otherwise the reason they do not match.
     */
    static Optional<String> mismatch(Path certificateChain, Path privateKey) throws IOException {
        Matcher m = PKCS8.matcher(Files.readString(privateKey, StandardCharsets.US_ASCII));
        if (!m.find()) {
            return Optional.empty();
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        X509Certificate cert;
        try (var in = new ByteArrayInputStream(Files.readAllBytes(certificateChain))) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            return Optional.of("the certificate cannot be read: " + e.getMessage());
        }
        PublicKey pub = cert.getPublicKey();
        try {
            PrivateKey key = KeyFactory.getInstance(pub.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
            Signature signer = Signature.getInstance(signatureAlgorithm(pub.getAlgorithm()));
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(pub.getAlgorithm()));
            verifier.initVerify(pub);
            verifier.update(PROBE);
            return verifier.verify(signature) ? Optional.empty()
                    : Optional.of("the private key does not belong to the certificate");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.of("the private key does not belong to the certificate (" + e.getMessage() + ")");
        }
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> keyAlgorithm; // Ed25519, Ed448, EdDSA: the key algorithm names its signature
        };
    }
}
