package io.presence.signaling.signin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the public keys that verify asymmetric tokens from local files: PEM ({@code PUBLIC KEY} or
 * {@code CERTIFICATE} blocks; RSA, EC P-256 or Ed25519) and JWKS. Never from a URL: a server that fetched its keys
 * would trust whoever answers for that URL. Symmetric keys are refused here; they belong in
 * {@code signaling.tokenKeys}, where they cannot be confused with public material.
 */
public final class PublicKeyFiles {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
            0x21, 0x00};

    private PublicKeyFiles() {
    }

    /** Every key of a PEM file. */
    public static List<VerificationKey> pem(Path file) throws TokenKeyException {
        String text = read(file);
        List<VerificationKey> keys = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new TokenKeyException(file + ": a PEM block is not valid base64");
            }
            switch (m.group(1)) {
                case "PUBLIC KEY" -> keys.add(new VerificationKey(null, null, spki(der, file)));
                case "CERTIFICATE" -> keys.add(new VerificationKey(null, null, certificateKey(der, file)));
                case "RSA PUBLIC KEY" -> throw new TokenKeyException(file + ": a PKCS#1 RSA key; convert it to a "
                        + "PUBLIC KEY block (openssl rsa -RSAPublicKey_in -pubout)");
                default -> throw new TokenKeyException(file + ": a " + m.group(1) + " block; only PUBLIC KEY and "
                        + "CERTIFICATE blocks are read (never a private key)");
            }
        }
        if (keys.isEmpty()) {
            throw new TokenKeyException(file + ": no PUBLIC KEY or CERTIFICATE block");
        }
        return keys;
    }

    /** Every usable key of a JWKS file ({@code {"keys":[...]}}); keys marked for encryption are left out. */
    public static List<VerificationKey> jwks(Path file) throws TokenKeyException {
        JWKSet set;
        try {
            set = JWKSet.parse(read(file));
        } catch (ParseException e) {
            throw new TokenKeyException(file + ": not a JWK set (" + e.getMessage() + ")");
        }
        List<VerificationKey> keys = new ArrayList<>();
        for (JWK jwk : set.getKeys()) {
            if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
                continue;
            }
            String alg = jwk.getAlgorithm() == null ? null : jwk.getAlgorithm().getName();
            try {
                if (jwk instanceof RSAKey rsa) {
                    keys.add(new VerificationKey(jwk.getKeyID(), alg, rsa.toRSAPublicKey()));
                } else if (jwk instanceof ECKey ec) {
                    keys.add(new VerificationKey(jwk.getKeyID(), alg, ec.toECPublicKey()));
                } else if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
                    keys.add(new VerificationKey(jwk.getKeyID(), alg, ed25519(okp.getDecodedX(), file)));
                } else {
                    throw new TokenKeyException(file + ": key " + describe(jwk) + " is of type " + jwk.getKeyType()
                            + "; a JWKS file holds RSA, EC or Ed25519 public keys (symmetric keys go in "
                            + "signaling.tokenKeys)");
                }
            } catch (JOSEException e) {
                throw new TokenKeyException(file + ": key " + describe(jwk) + " is not usable (" + e.getMessage() + ")");
            }
        }
        if (keys.isEmpty()) {
            throw new TokenKeyException(file + ": no signature key");
        }
        return keys;
    }

    private static String describe(JWK jwk) {
        return jwk.getKeyID() == null ? "without kid" : "'" + jwk.getKeyID() + "'";
    }

    private static String read(Path file) throws TokenKeyException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TokenKeyException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static PublicKey spki(byte[] der, Path file) throws TokenKeyException {
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // the next algorithm
            }
        }
        throw new TokenKeyException(file + ": a PUBLIC KEY that is neither RSA, EC nor Ed25519");
    }

    private static PublicKey certificateKey(byte[] der, Path file) throws TokenKeyException {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der))
                    .getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new TokenKeyException(file + ": a CERTIFICATE block that does not parse");
        }
    }

    static PublicKey ed25519(byte[] raw, Path file) throws TokenKeyException {
        if (raw == null || raw.length != 32) {
            throw new TokenKeyException(file + ": an Ed25519 key must have 32 bytes");
        }
        byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new TokenKeyException(file + ": an Ed25519 key that does not parse");
        }
    }
}
