package io.presence.signaling.api;

import java.time.Duration;

/**
 * Mints sign-in tokens for the API's {@code POST /users/{id}/token}. The composition root implements it with the
 * appliance's token minter; this package never sees a signing key.
 */
@FunctionalInterface
public interface TokenIssuer {

    /** Why a token was not minted (a user id, name or lifetime the minter refuses); the message says which. */
    final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** @param room the one room the token is good for, or null */
    String mint(String userId, String name, Duration ttl, String room) throws Refused;
}
