package io.presence.signaling.signin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys that verify tokens: HMAC secrets (HS256; the first also signs, all verify, so a key can be rotated in
 * and out) and public keys (RS256, ES256, EdDSA). Which keys check a token follows from its header's {@code alg}:
 * HS256 only ever meets the secrets, the others only public keys of their own type. So a token cannot make a
 * public key serve as an HMAC secret, and a public-key token is refused when no public key is configured.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenKeys {

    /** HS256 needs at least as many key bits as its hash has (RFC 7518 §3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    private final List<byte[]> secrets;
    private final List<VerificationKey> publicKeys;

    private TokenKeys(List<byte[]> secrets, List<VerificationKey> publicKeys) {
        this.secrets = secrets;
        this.publicKeys = publicKeys;
    }

    /**
     * @param secrets    HS256 secrets, the signing one first; each at least {@link #MIN_SECRET_BYTES} bytes
     * @param publicKeys keys from {@link PublicKeyFiles}
     */
    public static TokenKeys of(List<byte[]> secrets, List<VerificationKey> publicKeys) throws TokenKeyException {
        List<byte[]> copies = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            byte[] s = secrets.get(i);
            if (s.length < MIN_SECRET_BYTES) {
                throw new TokenKeyException("token key " + (i + 1) + " has " + s.length + " bytes; HS256 needs at "
                        + "least " + MIN_SECRET_BYTES);
            }
            copies.add(s.clone());
        }
        for (VerificationKey k : publicKeys) {
            if (k.algorithm() == null) {
                throw new TokenKeyException("a public key of type " + k.key().getAlgorithm() + " (EC keys must be "
                        + "on P-256)");
            }
        }
        if (copies.isEmpty() && publicKeys.isEmpty()) {
            throw new TokenKeyException("no token key: a token could never verify");
        }
        return new TokenKeys(List.copyOf(copies), List.copyOf(publicKeys));
    }

    /** The secret that signs new tokens, or null when only public keys are configured. */
    byte[] signingSecret() {
        return secrets.isEmpty() ? null : secrets.get(0).clone();
    }

    /** Null when the signature verifies with one of the keys, else why not. */
    TokenRefusal verify(JWSObject jws) {
        String alg = jws.getHeader().getAlgorithm().getName();
        if ("HS256".equals(alg)) {
            if (secrets.isEmpty()) {
                return TokenRefusal.UNSUPPORTED_ALG;
            }
            for (byte[] secret : secrets) {
                try {
                    if (jws.verify(new MACVerifier(secret))) {
                        return null;
                    }
                } catch (JOSEException e) {
                    return TokenRefusal.MALFORMED;
                }
            }
            return TokenRefusal.BAD_SIGNATURE;
        }
        String kid = jws.getHeader().getKeyID();
        boolean anyFits = false;
        for (VerificationKey k : publicKeys) {
            if (!k.fits(alg, kid)) {
                continue;
            }
            anyFits = true;
            if (verifies(jws, k)) {
                return null;
            }
        }
        if (anyFits) {
            return TokenRefusal.BAD_SIGNATURE;
        }
        return publicKeys.stream().anyMatch(k -> k.fits(alg, null)) ? TokenRefusal.BAD_SIGNATURE
                : TokenRefusal.UNSUPPORTED_ALG;
    }

    private static boolean verifies(JWSObject jws, VerificationKey k) {
        try {
            return switch (k.algorithm()) {
                case "RS256" -> jws.verify(new RSASSAVerifier((RSAPublicKey) k.key()));
                case "ES256" -> jws.verify(new ECDSAVerifier((ECPublicKey) k.key()));
                case "EdDSA" -> ed25519(jws, k);
                default -> false;
            };
        } catch (JOSEException | GeneralSecurityException | IllegalStateException e) {
            return false;
        }
    }

    /** Ed25519 through the JDK's own provider (Java 15+): nimbus would need Tink for it. */
    private static boolean ed25519(JWSObject jws, VerificationKey k) throws GeneralSecurityException {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initVerify(k.key());
        signature.update(jws.getSigningInput());
        return signature.verify(jws.getSignature().decode());
    }
}
