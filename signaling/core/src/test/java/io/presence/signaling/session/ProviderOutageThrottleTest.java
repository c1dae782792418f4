package io.presence.signaling.session;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.identity.AuthResult;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.ManualLoops;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A provider that cannot decide (its identity service is down) refuses the hello, but the refusal does not count
 * against the client's source: when the service is back, its clients are not locked out by the throttle.
 */
class ProviderOutageThrottleTest {
    final ManualLoops loops = new ManualLoops(1);
    final SignalingSettings settings = SignalingSettings.builder().build();
    /** Refuses the source after one failure. */
    final SignInThrottle.Settings strict = new SignInThrottle.Settings(1, 1, Duration.ofMinutes(1), Duration.ZERO,
            Duration.ZERO, Duration.ofMinutes(5), 10);

    String answer(SignalingCore core, InetAddress source) {
        RecordingConnection c = new RecordingConnection("c", loops::run);
        c.address = source;
        core.sessions().hello(c, loops.get(0), new ClientMessage.Hello("h", settings.maxProtocolVersion(),
                new ClientMessage.Credentials("friend", null, null, null), null));
        return c.take(ServerMessage.Error.class).message();
    }

    @Test
    void outagesAreNotCountedButRealRefusalsAre() throws Exception {
        InetAddress source = InetAddress.getByName("203.0.113.4");
        SignalingCore down = SignalingCore.builder(settings).loops(loops).time(loops.time())
                .meters(new SimpleMeterRegistry()).signInThrottle(strict)
                .auth(c -> CompletableFuture.completedFuture(AuthResult.unavailable("friend_unavailable", "down")))
                .build();
        assertEquals("down", answer(down, source));
        assertEquals("down", answer(down, source), "not throttled: still asked the provider");
        down.close();

        SignalingCore refusing = SignalingCore.builder(settings).loops(loops).time(loops.time())
                .meters(new SimpleMeterRegistry()).signInThrottle(strict)
                .auth(c -> CompletableFuture.completedFuture(AuthResult.rejected("auth_failed", "no")))
                .build();
        assertEquals("no", answer(refusing, source));
        assertNotEquals("no", answer(refusing, source), "the throttle answered instead");
        refusing.close();
    }
}
