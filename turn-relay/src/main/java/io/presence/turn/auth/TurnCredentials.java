package io.presence.turn.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * Credentials for one participant of one room, in the TURN REST scheme (compatible with coturn's
 * {@code use-auth-secret}): {@code username = "<unix-expiry>:<room>:<participant>"},
 * {@code password = base64(HMAC-SHA1(secret, username))}. Hand them to the client with the ICE servers.
 *
 * @param username the REST username
 * @param password the REST password (a secret: never log it)
 * @param ttl      how long they are valid from minting
 * @param expiry   when they stop working, on Allocate and on every later request (strict expiry)
 */
public record TurnCredentials(String username, String password, Duration ttl, Instant expiry) {
    @Override
    public String toString() {
        return "TurnCredentials[username=" + username + ", expiry=" + expiry + "]";
    }
}
