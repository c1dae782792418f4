package io.presence.signaling.session;

import io.presence.signaling.protocol.ClientMessage;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionRequestsTest {

    /** Ping and pong are answered before the rate limit; every other request type needs a handler. */
    @Test
    void everyClientMessageTypeHasAHandler() {
        Set<Class<?>> expected = new HashSet<>(Set.of(ClientMessage.class.getPermittedSubclasses()));
        expected.remove(ClientMessage.Ping.class);
        expected.remove(ClientMessage.Pong.class);
        assertEquals(expected, SessionRequests.HANDLERS.keySet());
    }
}
