package io.presence.stun.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.presence.stun.DecodeFailure;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stun module's meters, registered eagerly so that every series exists (at zero) from the start.
 * Callers use verbs; they never see a meter. Labels are bounded: transport, result, reason, type.
 *
 * <p>Thread-safe. {@link #noop()} records nothing, so hot paths need no null checks.
 */
public final class StunMetrics {
    /** What a message nobody handled was, for {@link #unhandled}. */
    public enum Unhandled {
        REQUEST, INDICATION, RESPONSE, SEND_INDICATION, CHANNEL_DATA;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    private static final StunTransport[] TRANSPORTS = StunTransport.values();
    private static final DecodeFailure[] FAILURES = DecodeFailure.values();
    private static final Unhandled[] UNHANDLED = Unhandled.values();

    private final Counter[] bindingRequests = new Counter[TRANSPORTS.length];
    private final Counter[] bindingSuccesses = new Counter[TRANSPORTS.length];
    private final Counter[] bindingErrors = new Counter[TRANSPORTS.length];
    private final Counter[][] decodeFailures = new Counter[TRANSPORTS.length][FAILURES.length];
    private final Counter[][] unhandled = new Counter[TRANSPORTS.length][UNHANDLED.length];
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger clientSockets = new AtomicInteger();
    private final Counter[] streamTimeouts = new Counter[StreamDeadlines.Expiry.values().length];
    private final MeterRegistry registry;

    public StunMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (StunTransport t : TRANSPORTS) {
            int i = t.ordinal();
            bindingRequests[i] = Counter.builder("stun.binding.requests")
                    .description("STUN Binding requests received")
                    .tag("transport", t.label()).register(registry);
            bindingSuccesses[i] = Counter.builder("stun.binding.responses")
                    .description("STUN Binding responses sent, by result")
                    .tag("transport", t.label()).tag("result", "success").register(registry);
            bindingErrors[i] = Counter.builder("stun.binding.responses")
                    .description("STUN Binding responses sent, by result")
                    .tag("transport", t.label()).tag("result", "error").register(registry);
            for (DecodeFailure f : FAILURES) {
                decodeFailures[i][f.ordinal()] = Counter.builder("stun.decode.failures")
                        .description("Packets or stream frames on the STUN port that were dropped as malformed")
                        .tag("transport", t.label()).tag("reason", f.label()).register(registry);
            }
            for (Unhandled u : UNHANDLED) {
                unhandled[i][u.ordinal()] = Counter.builder("stun.unhandled.messages")
                        .description("Well-formed messages on the STUN port that no service handled "
                                + "(requests among them were answered with 400)")
                        .tag("transport", t.label()).tag("type", u.label).register(registry);
            }
        }
        Gauge.builder("stun.stream.connections", openConnections, AtomicInteger::get)
                .description("Open TCP and TLS connections on the STUN port")
                .register(registry);
        for (StreamDeadlines.Expiry e : StreamDeadlines.Expiry.values()) {
            streamTimeouts[e.ordinal()] = Counter.builder("stun.stream.timeouts")
                    .description("TCP/TLS connections on the STUN port closed by a deadline: no first message, "
                            + "a frame left incomplete, or idle")
                    .tag("reason", e.label).register(registry);
        }
        Gauge.builder("stun.udp.client.sockets", clientSockets, AtomicInteger::get)
                .description("UDP clients with a socket of the STUN port of their own, connected to them")
                .register(registry);
    }

    /** Where the meters are (the STUN port's connection gate registers its own there). */
    MeterRegistry registry() {
        return registry;
    }

    void streamTimeout(StreamDeadlines.Expiry why) {
        streamTimeouts[why.ordinal()].increment();
    }

    /** The count of client sockets ({@link ClientSockets} owns it). */
    AtomicInteger clientSockets() {
        return clientSockets;
    }

    /** Meters that record nothing (a composite registry with no children). */
    public static StunMetrics noop() {
        return new StunMetrics(new CompositeMeterRegistry());
    }

    public void bindingRequest(StunTransport transport) {
        bindingRequests[transport.ordinal()].increment();
    }

    public void bindingSuccess(StunTransport transport) {
        bindingSuccesses[transport.ordinal()].increment();
    }

    public void bindingError(StunTransport transport) {
        bindingErrors[transport.ordinal()].increment();
    }

    public void decodeFailure(StunTransport transport, DecodeFailure reason) {
        decodeFailures[transport.ordinal()][reason.ordinal()].increment();
    }

    public void unhandled(StunTransport transport, Unhandled what) {
        unhandled[transport.ordinal()][what.ordinal()].increment();
    }

    void connectionOpened() {
        openConnections.incrementAndGet();
    }

    void connectionClosed() {
        openConnections.decrementAndGet();
    }
}
