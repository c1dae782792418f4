package io.presence.signaling.signin;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

/**
 * One public key that verifies tokens, with the key id and algorithm its JWKS entry names (null when the file does
 * not say). The key's type fixes the one algorithm it verifies, so a token can never choose how its key is used.
 */
public record VerificationKey(String kid, String alg, PublicKey key) {

    public VerificationKey {
        Objects.requireNonNull(key, "key");
    }

    /** The JWS algorithm this key verifies: RS256, ES256 or EdDSA; null for a key of another kind. */
    public String algorithm() {
        if (key instanceof RSAPublicKey) {
            return "RS256";
        }
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
            return "ES256";
        }
        if (key instanceof EdECPublicKey) {
            return "EdDSA";
        }
        return null;
    }

    /** Whether this key may check a token with header {@code alg} and {@code kid}. */
    boolean fits(String headerAlg, String headerKid) {
        String own = algorithm();
        if (own == null || !own.equals(normalise(headerAlg))) {
            return false;
        }
        if (alg != null && !normalise(alg).equals(own)) {
            return false;
        }
        return headerKid == null || kid == null || kid.equals(headerKid);
    }

    /** RFC 8037's {@code EdDSA} and the newer fully specified {@code Ed25519} name the same thing here. */
    static String normalise(String alg) {
        return "Ed25519".equals(alg) ? "EdDSA" : alg;
    }
}
