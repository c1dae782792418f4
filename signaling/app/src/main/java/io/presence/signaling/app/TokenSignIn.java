package io.presence.signaling.app;

import io.presence.signaling.app.config.ConfigException;
import io.presence.signaling.app.config.ConfigSchema;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.app.config.Secret;
import io.presence.signaling.app.config.SignInConfig;
import io.presence.signaling.identity.RevocationList;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.signin.JwtAuthProvider;
import io.presence.signaling.signin.PublicKeyFiles;
import io.presence.signaling.signin.TokenKeyException;
import io.presence.signaling.signin.TokenKeys;
import io.presence.signaling.signin.TokenMinter;
import io.presence.signaling.signin.VerificationKey;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Signed-token sign-in as {@code serve} and {@code presence token} both build it, from the same configuration and
 * data directory: so a token minted with the key generated at first start is one the running server accepts.
 *
 * @param keys        the secrets and public keys
 * @param description one line for the start output: where the keys come from, never what they are
 */
record TokenSignIn(TokenKeys keys, String description) {

    /** The data directory's secret that signs tokens when {@code signaling.tokenKeys} is empty. */
    static final String GENERATED_KEY = "token-key";

    /** Reads the keys, generating the HS256 key in the data directory on first use; empty when auth.jwt is off. */
    static Optional<TokenSignIn> open(PresenceConfig config, DataDirectory data) throws ConfigException, IOException {
        if (!SignInConfig.jwtEnabled(config)) {
            return Optional.empty();
        }
        List<Secret> secrets = SignInConfig.tokenKeys(config);
        String from;
        if (secrets.isEmpty()) {
            Secret generated = data.secret(GENERATED_KEY);
            secrets = List.of(generated);
            from = "HS256 key " + generated.source();
        } else {
            from = secrets.size() + " HS256 key(s) from " + secrets.get(0).source();
        }
        List<VerificationKey> publicKeys = new ArrayList<>();
        Optional<Path> pem = SignInConfig.publicKeyFile(config);
        Optional<Path> jwks = SignInConfig.jwksFile(config);
        try {
            if (pem.isPresent()) {
                publicKeys.addAll(PublicKeyFiles.pem(pem.get()));
            }
        } catch (TokenKeyException e) {
            throw new ConfigException(ConfigSchema.AUTH_JWT_PUBLIC_KEY_FILE.path(), null, e.getMessage(), null);
        }
        try {
            if (jwks.isPresent()) {
                publicKeys.addAll(PublicKeyFiles.jwks(jwks.get()));
            }
        } catch (TokenKeyException e) {
            throw new ConfigException(ConfigSchema.AUTH_JWT_JWKS_FILE.path(), null, e.getMessage(), null);
        }
        if (!publicKeys.isEmpty()) {
            from += ", " + publicKeys.size() + " public key(s)";
        }
        try {
            return Optional.of(new TokenSignIn(TokenKeys.of(secrets.stream().map(Secret::bytes).toList(),
                    publicKeys), from));
        } catch (TokenKeyException e) {
            throw new ConfigException(ConfigSchema.SIGNALING_TOKEN_KEYS.path(), null, e.getMessage(), null);
        }
    }

    JwtAuthProvider provider(PresenceConfig config, TimeSource time) {
        return new JwtAuthProvider(keys, SignInConfig.jwt(config), time);
    }

    /** @param revocations the users whose earlier tokens are refused */
    JwtAuthProvider provider(PresenceConfig config, TimeSource time, RevocationList revocations) {
        return new JwtAuthProvider(keys, SignInConfig.jwt(config), time, revocations);
    }

    TokenMinter minter(PresenceConfig config, TimeSource time) throws ConfigException {
        try {
            return new TokenMinter(keys, SignInConfig.jwt(config), time);
        } catch (TokenKeyException e) {
            throw new ConfigException(ConfigSchema.SIGNALING_TOKEN_KEYS.path(), null, e.getMessage(), null);
        }
    }
}
