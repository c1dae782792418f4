package io.presence.signaling.session;

import java.util.concurrent.CompletionStage;

/**
 * Ends every session of one user at once (the host platform removed or banned them): each session is closed and
 * cannot be resumed. Thread-safe; never blocks the caller.
 */
@FunctionalInterface
public interface UserRevoker {

    /** Completes with how many sessions were ended (0 when the user had none). */
    CompletionStage<Integer> revoke(String userId);
}
