/**
 * Credentials in the TURN REST scheme ({@link io.presence.turn.auth.RestCredentials},
 * {@link io.presence.turn.auth.TurnCredentials}), nonces, revocations and the rate limit on 401 answers.
 */
package io.presence.turn.auth;
