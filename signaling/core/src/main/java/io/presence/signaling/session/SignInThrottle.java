package io.presence.signaling.session;

import io.presence.signaling.runtime.TimeSource;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Slows down guessing: counts failed sign-ins per source (one IPv4 address, or one IPv6 /64, since a host usually
 * holds a whole /64) and answers, before a {@code hello} is authenticated, whether to go ahead, to wait first, or
 * to refuse at once. Up to {@link Settings#delayAfter} failures in a window cost nothing (typos); each one after
 * that doubles the wait, up to {@link Settings#maxDelay}; at {@link Settings#refuseAfter} the source is refused
 * outright for {@link Settings#cooldown}. A success does not clear the count: one valid account must not reset the
 * guessing of others from the same source.
 *
 * <p>Memory is bounded: at most {@link Settings#maxTracked} sources, the least recently failed forgotten first.
 * Thread-safe (one lock; taken once per failed or throttled hello, and once per hello to look).
 */
public final class SignInThrottle {

    /**
     * @param delayAfter  failures in a window that cost nothing
     * @param refuseAfter failures in a window after which the source is refused for {@code cooldown}
     * @param window      how long a failure counts
     * @param delay       the wait after {@code delayAfter} failures; doubled for each further one
     * @param maxDelay    the longest wait (keep it under the hello deadline)
     * @param cooldown    how long a source stays refused
     * @param maxTracked  sources remembered at once
     */
    public record Settings(int delayAfter, int refuseAfter, Duration window, Duration delay, Duration maxDelay,
                           Duration cooldown, int maxTracked) {

        public static final int DEFAULT_DELAY_AFTER = 5;
        public static final int DEFAULT_REFUSE_AFTER = 20;
        public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
        public static final Duration DEFAULT_DELAY = Duration.ofMillis(250);
        public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(4);
        public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
        public static final int DEFAULT_MAX_TRACKED = 10_000;

        public static final Settings DEFAULT = new Settings(DEFAULT_DELAY_AFTER, DEFAULT_REFUSE_AFTER, DEFAULT_WINDOW,
                DEFAULT_DELAY, DEFAULT_MAX_DELAY, DEFAULT_COOLDOWN, DEFAULT_MAX_TRACKED);

        public Settings {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(maxDelay, "maxDelay");
            Objects.requireNonNull(cooldown, "cooldown");
            if (delayAfter < 1 || refuseAfter < delayAfter || maxTracked < 1 || window.isNegative()
                    || window.isZero() || delay.isNegative() || maxDelay.compareTo(delay) < 0 || cooldown.isNegative()) {
                throw new IllegalArgumentException("inconsistent sign-in throttle settings: " + this);
            }
        }
    }

    /** What to do with a {@code hello} before authenticating it. */
    public sealed interface Verdict {
        Verdict PROCEED = new Proceed();

        record Proceed() implements Verdict {
        }

        record Delay(Duration pause) implements Verdict {
        }

        record Refuse() implements Verdict {
        }
    }

    private static final Verdict REFUSE = new Verdict.Refuse();

    private final Settings settings;
    private final TimeSource time;
    /** Access order: the eldest is the source that failed least recently. */
    private final LinkedHashMap<Source, Failures> sources;

    public SignInThrottle(Settings settings, TimeSource time) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.time = Objects.requireNonNull(time, "time");
        this.sources = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Source, Failures> eldest) {
                return size() > settings.maxTracked();
            }
        };
    }

    /** Whether a {@code hello} from {@code address} may be authenticated now; null addresses always may. */
    public Verdict before(InetAddress address) {
        if (address == null) {
            return Verdict.PROCEED;
        }
        long now = time.nanos();
        synchronized (sources) {
            Failures f = sources.get(Source.of(address));
            if (f == null) {
                return Verdict.PROCEED;
            }
            if (f.refusedUntil - now > 0) {
                return REFUSE;
            }
            int count = f.count(now, settings.window().toNanos());
            if (count < settings.delayAfter()) {
                return Verdict.PROCEED;
            }
            return new Verdict.Delay(delayAfter(count));
        }
    }

    /** Counts a failed sign-in from {@code address}. */
    public void failed(InetAddress address) {
        if (address == null) {
            return;
        }
        long now = time.nanos();
        synchronized (sources) {
            Failures f = sources.computeIfAbsent(Source.of(address), s -> new Failures(now));
            int count = f.add(now, settings.window().toNanos());
            if (count >= settings.refuseAfter()) {
                f.refusedUntil = now + settings.cooldown().toNanos();
                f.reset(now);
            }
        }
    }

    /** Sources remembered now. */
    public int tracked() {
        synchronized (sources) {
            return sources.size();
        }
    }

    private Duration delayAfter(int count) {
        int doublings = Math.min(count - settings.delayAfter(), 30);
        long nanos = settings.delay().toNanos();
        long max = settings.maxDelay().toNanos();
        for (int i = 0; i < doublings && nanos < max; i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, max));
    }

    /** Failures in the current window: a fixed window that starts at its first failure. */
    private static final class Failures {
        private long windowStart;
        private int count;
        private long refusedUntil;

        Failures(long now) {
            this.windowStart = now;
            this.refusedUntil = now;
        }

        int count(long now, long window) {
            return now - windowStart >= window ? 0 : count;
        }

        int add(long now, long window) {
            if (now - windowStart >= window) {
                reset(now);
            }
            return ++count;
        }

        void reset(long now) {
            windowStart = now;
            count = 0;
        }
    }

    /** An IPv4 address, or the /64 of an IPv6 one (an IPv4-mapped IPv6 address counts as its IPv4 address). */
    private record Source(byte[] prefix) {
        static Source of(InetAddress address) {
            byte[] raw = address.getAddress();
            if (address instanceof Inet6Address && isV4Mapped(raw)) {
                return new Source(Arrays.copyOfRange(raw, 12, 16));
            }
            return new Source(address instanceof Inet4Address ? raw : Arrays.copyOf(raw, 8));
        }

        private static boolean isV4Mapped(byte[] raw) {
            for (int i = 0; i < 10; i++) {
                if (raw[i] != 0) {
                    return false;
                }
            }
            return raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Source s && Arrays.equals(s.prefix, prefix);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(prefix);
        }
    }
}
