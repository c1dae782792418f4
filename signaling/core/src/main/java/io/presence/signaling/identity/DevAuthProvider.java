package io.presence.signaling.identity;

import io.presence.signaling.protocol.AvatarPath;
import io.presence.signaling.protocol.ClientMessage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Development and test provider {@code "dev"}: accepts any non-blank display name without any check; the user id is
 * derived from the name. Only wired when {@code SignalingSettings#devAuthEnabled()} is set (off by default).
 */
public final class DevAuthProvider implements AuthProvider {
    public static final String NAME = "dev";
    static final int MAX_NAME = 64;

    @Override
    public CompletionStage<AuthResult> authenticate(ClientMessage.Credentials credentials) {
        if (!NAME.equals(credentials.provider())) {
            return CompletableFuture.completedFuture(AuthResult.rejected("no_provider",
                    "no authentication provider accepts '" + credentials.provider() + "'"));
        }
        String name = credentials.displayName() == null ? "" : credentials.displayName().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return CompletableFuture.completedFuture(AuthResult.rejected("bad_credentials",
                    "the dev provider needs a displayName of 1.." + MAX_NAME + " characters"));
        }
        if (credentials.avatarUrl() != null && !Principal.isAcceptableAvatarUrl(credentials.avatarUrl())) {
            return CompletableFuture.completedFuture(AuthResult.rejected("bad_credentials",
                    "avatarUrl " + AvatarPath.RULE));
        }
        return CompletableFuture.completedFuture(AuthResult.accepted(
                Principal.user("dev:" + name, name, credentials.avatarUrl())));
    }
}
