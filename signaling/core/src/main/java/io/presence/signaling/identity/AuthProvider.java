package io.presence.signaling.identity;

import io.presence.signaling.protocol.ClientMessage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks the credentials of a {@code hello}. Real providers (Friend sign-in, signed tokens, guest invites) come
 * later; they may call out over the network, hence the asynchronous result. Implementations must never block the
 * calling thread (an event loop) and must complete the stage exactly once.
 */
public interface AuthProvider {

    /** Rejects everything: the server's provider when none is configured. */
    AuthProvider NONE = credentials -> CompletableFuture.completedFuture(
            AuthResult.rejected("no_provider", "no authentication provider accepts '" + credentials.provider() + "'"));

    CompletionStage<AuthResult> authenticate(ClientMessage.Credentials credentials);

    /**
     * Tries {@code first}; when it rejects with reason {@code no_provider} (it does not handle that provider name),
     * tries {@code second}.
     */
    static AuthProvider chain(AuthProvider first, AuthProvider second) {
        return credentials -> first.authenticate(credentials).thenCompose(result -> {
            if (result instanceof AuthResult.Rejected r && "no_provider".equals(r.reason())) {
                return second.authenticate(credentials);
            }
            return CompletableFuture.completedFuture(result);
        });
    }
}
