package io.presence.turn;

import io.presence.turn.auth.RestCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.presence.turn.TurnTestClient.code;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A REST credential is refused on the way in when its expiry lies further ahead than
 * {@code maxCredentialTtl + CLOCK_SKEW}, even with a correct password: a revocation is remembered only
 * {@code maxCredentialTtl}, so a longer-lived credential would outlive every revocation.
 */
class CredentialLifetimeTest {
    private static final Duration MAX_TTL = Duration.ofHours(1);
    private TurnFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    /** The expiry is now + maxTtl × {@code ttls} + {@code seconds}. */
    @ParameterizedTest(name = "expiry now + {0} × maxTtl + {1} s → {2} ({3})")
    @CsvSource(delimiter = '|', textBlock = """
            87600 | 0   | 401 | beyond_max_ttl
            1     | 61  | 401 | beyond_max_ttl
            1     | 60  | 0   | -
            1     | 0   | 0   | -
            0     | 1   | 0   | -
            0     | 0   | 401 | expired
            0     | -1  | 401 | expired
            """)
    void expiryIsBoundedOnTheWayIn(long ttls, long seconds, int expectedCode, String reason) throws Exception {
        f = new TurnFixture(b -> b.maxCredentialTtl(MAX_TTL));
        assertEquals(Duration.ofSeconds(60), RestCredentials.CLOCK_SKEW, "the table's 60 and 61 are the skew");
        long now = f.clock.millis() / 1000;
        long expiry = now + MAX_TTL.getSeconds() * ttls + seconds;
        String username = expiry + ":room:alice";
        String password = RestCredentials.password(TurnFixture.SECRET.getBytes(StandardCharsets.UTF_8), username);
        try (TurnTestClient c = new TurnTestClient(f.server.udpAddress()).credentials(username, password)) {
            assertEquals(expectedCode, code(c.allocate()), username);
            if (!reason.equals("-")) {
                assertEquals(1.0, f.counter("turn.auth.failures", "reason", reason), reason);
            }
        }
    }
}
