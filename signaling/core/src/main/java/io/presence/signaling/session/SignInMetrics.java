package io.presence.signaling.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sign-in meters: failed authentications by provider and reason, and hellos the {@link SignInThrottle} delayed
 * or refused. Labels stay bounded: a provider name no provider accepts is counted as {@code unknown} (a client
 * chooses that name), and reasons are the providers' fixed words.
 *
 * <p>Thread-safe. {@link #close()} removes the meters from the registry.
 */
public final class SignInMetrics implements AutoCloseable {
    static final String FAILURES = "presence.auth.failures";
    static final String THROTTLED = "presence.auth.throttled";
    static final String NO_PROVIDER = "no_provider";
    static final String REVOKED = "presence.sessions.revoked";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public SignInMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Present from startup at zero, so that an alert on their rate can fire on the first event.
        throttledCounter("delayed");
        throttledCounter("refused");
        failureCounter("unknown", NO_PROVIDER);
        revokedCounter();
    }

    /** {@code sessions} sessions ended because their user's sign-in was revoked. */
    public void revoked(int sessions) {
        revokedCounter().increment(sessions);
    }

    private Counter revokedCounter() {
        return counters.computeIfAbsent(REVOKED, k -> Counter.builder(REVOKED)
                .description("Sessions ended because an administrator revoked their user's sign-in")
                .register(registry));
    }

    /** Meters going nowhere: for tests and tools. */
    public static SignInMetrics noop() {
        return new SignInMetrics(new CompositeMeterRegistry());
    }

    /** A provider refused a hello; {@code provider} is the name the client asked for. */
    public void failed(String provider, String reason) {
        failureCounter(NO_PROVIDER.equals(reason) ? "unknown" : provider, reason).increment();
    }

    public void delayed() {
        throttledCounter("delayed").increment();
    }

    public void refused() {
        throttledCounter("refused").increment();
    }

    private Counter failureCounter(String provider, String reason) {
        return counters.computeIfAbsent(FAILURES + '|' + provider + '|' + reason, k -> Counter.builder(FAILURES)
                .description("Failed sign-ins (hello refused by the authentication provider)")
                .tag("provider", provider).tag("reason", reason).register(registry));
    }

    private Counter throttledCounter(String outcome) {
        return counters.computeIfAbsent(THROTTLED + '|' + outcome, k -> Counter.builder(THROTTLED)
                .description("Hellos delayed or refused because their source failed to sign in too often")
                .tag("outcome", outcome).register(registry));
    }

    @Override
    public void close() {
        for (Counter c : counters.values()) {
            registry.remove(c);
        }
        counters.clear();
    }
}
