package io.presence.signaling.transport;

import org.junit.jupiter.api.AfterEach;

import java.time.Duration;

/** Tests that start one {@link TestServer} on loopback per test; it is closed after each. */
abstract class LoopbackServerTest {
    /** How long a test waits for any one expected event. */
    static final Duration T = Duration.ofSeconds(5);
    TestServer ts;

    @AfterEach
    void stopServer() {
        if (ts != null) {
            ts.close();
        }
    }
}
