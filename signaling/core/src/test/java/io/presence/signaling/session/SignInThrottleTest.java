package io.presence.signaling.session;

import io.presence.signaling.runtime.ManualTime;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The sign-in throttle on manual time: free failures, a doubling delay up to its cap, refusal, cool-down, memory. */
class SignInThrottleTest {
    private final ManualTime time = new ManualTime();
    private final SignInThrottle throttle = new SignInThrottle(SignInThrottle.Settings.DEFAULT, time);

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private void fail(InetAddress a, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(a);
        }
    }

    @Test
    void fiveFailuresCostNothingThenEachFurtherHelloWaitsTwiceAsLongUpToTheCap() throws Exception {
        InetAddress a = ip("203.0.113.7");
        fail(a, 4);
        assertEquals(SignInThrottle.Verdict.PROCEED, throttle.before(a));
        fail(a, 1);
        assertEquals(new SignInThrottle.Verdict.Delay(Duration.ofMillis(250)), throttle.before(a));
        fail(a, 1);
        assertEquals(new SignInThrottle.Verdict.Delay(Duration.ofMillis(500)), throttle.before(a));
        fail(a, 3);
        assertEquals(new SignInThrottle.Verdict.Delay(Duration.ofSeconds(4)), throttle.before(a));
        fail(a, 5);
        assertEquals(new SignInThrottle.Verdict.Delay(Duration.ofSeconds(4)), throttle.before(a), "capped");
    }

    @Test
    void twentyFailuresRefuseTheSourceForTheCooldownThenItStartsAfresh() throws Exception {
        InetAddress a = ip("203.0.113.8");
        fail(a, 19);
        assertInstanceOf(SignInThrottle.Verdict.Delay.class, throttle.before(a));
        fail(a, 1);
        assertInstanceOf(SignInThrottle.Verdict.Refuse.class, throttle.before(a));
        time.advance(Duration.ofMinutes(4));
        assertInstanceOf(SignInThrottle.Verdict.Refuse.class, throttle.before(a));
        time.advance(Duration.ofMinutes(1));
        assertEquals(SignInThrottle.Verdict.PROCEED, throttle.before(a));
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() throws Exception {
        InetAddress a = ip("203.0.113.9");
        fail(a, 10);
        assertInstanceOf(SignInThrottle.Verdict.Delay.class, throttle.before(a));
        time.advance(Duration.ofSeconds(61));
        assertEquals(SignInThrottle.Verdict.PROCEED, throttle.before(a));
        fail(a, 1);
        assertEquals(SignInThrottle.Verdict.PROCEED, throttle.before(a), "a new window: one failure");
    }

    @Test
    void anIpv6SlashSixtyFourIsOneSourceAndOtherSourcesAreUntouched() throws Exception {
        fail(ip("2001:db8:1:2::1"), 5);
        assertInstanceOf(SignInThrottle.Verdict.Delay.class, throttle.before(ip("2001:db8:1:2:ffff::9")));
        assertEquals(SignInThrottle.Verdict.PROCEED, throttle.before(ip("2001:db8:1:3::1")));
        assertEquals(SignInThrottle.Verdict.PROCEED, throttle.before(ip("203.0.113.10")));
        assertEquals(SignInThrottle.Verdict.PROCEED, throttle.before(null), "an unknown source is not throttled");
    }

    @Test
    void memoryIsBoundedAndTheLeastRecentlyFailedSourceIsForgottenFirst() throws Exception {
        SignInThrottle small = new SignInThrottle(new SignInThrottle.Settings(1, 20, Duration.ofMinutes(1),
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(5), 3), time);
        for (int i = 1; i <= 4; i++) {
            small.failed(ip("198.51.100." + i));
        }
        assertEquals(3, small.tracked());
        assertEquals(SignInThrottle.Verdict.PROCEED, small.before(ip("198.51.100.1")), "the oldest was evicted");
        assertInstanceOf(SignInThrottle.Verdict.Delay.class, small.before(ip("198.51.100.4")));
    }
}
