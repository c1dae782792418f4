package io.presence.signaling.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ErrorCode;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.room.RoomStats;
import io.presence.signaling.runtime.TimeSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every signaling meter, behind verbs. Callers never touch meter objects, and every label value comes from a
 * bounded set (transports, protocol type names, error codes, fixed reason words) — never a room, user or session.
 * Prometheus names are listed in {@code metrics/README.md}.
 *
 * <p>Thread-safe. {@link #close()} removes the meters from the registry (the appliance may be restarted in-process).
 */
public final class SignalingMetrics implements RoomStats, AutoCloseable {
    private static final String P = "presence.";

    private final MeterRegistry registry;
    private final TimeSource time;
    private final Timer ackLatencyPersistent;
    private final Timer ackLatencyEphemeral;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Counter> messagesIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> messagesOut = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> activeConnections = new ConcurrentHashMap<>();
    private final AtomicLong activeSessions = new AtomicLong();
    private final AtomicLong activeRooms = new AtomicLong();
    private final AtomicLong members = new AtomicLong();
    private final Timer deliveryLatency;
    /*
     * The per-message counters, resolved once: these are hit once per frame or per delivery (100,000/s in a large
     * room), where even a map lookup and the key concatenation of counter() showed in the profile.
     */
    private final Counter chatStored;
    private final Counter chatDuplicate;
    private final Counter outEvent;
    private final Counter outChatAck;
    private final Counter outOk;
    private final Counter inChatSend;
    private final Counter inSignal;

    /** Why a session ends: what {@code Session.end} is called with. */
    public static final List<String> SESSION_END_REASONS = List.of("bye", "timeout", "resume_buffer_overflow",
            "replaced", "shutdown", "revoked");
    /**
     * Why a connection closes: the client or the network ({@code client_closed}), the server's own closes, a
     * session's end on its connection, and the error codes of a hello refused with a close.
     */
    public static final List<String> CONNECTION_CLOSE_REASONS = List.of("client_closed", "keepalive_timeout",
            "slow_consumer", "hello_timeout", "bye", "replaced", "rate_limited", "shutdown", "unsupported_version",
            "server_draining", "resume_buffer_overflow", "internal", "revoked");

    public SignalingMetrics(MeterRegistry registry) {
        this(registry, TimeSource.SYSTEM);
    }

    /** @param time the core's time source: chat delivery latency is measured from the room's acceptance on it */
    public SignalingMetrics(MeterRegistry registry, TimeSource time) {
        this.registry = registry;
        this.time = time;
        for (String transport : List.of("ws", "tcp")) {
            AtomicLong gauge = new AtomicLong();
            activeConnections.put(transport, gauge);
            meters.add(Gauge.builder(P + "connections.active", gauge, AtomicLong::get)
                    .description("Open client connections").tag("transport", transport)
                    .register(registry));
        }
        meters.add(Gauge.builder(P + "sessions.active", activeSessions, AtomicLong::get)
                .description("Sessions alive, including those waiting in their resume grace window")
                .register(registry));
        meters.add(Gauge.builder(P + "rooms.active", activeRooms, AtomicLong::get)
                .description("Rooms open in memory, by kind").tag("kind", "ephemeral")
                .register(registry));
        meters.add(Gauge.builder(P + "room.members", members, AtomicLong::get)
                .description("Members across all rooms").register(registry));
        deliveryLatency = Timer.builder(P + "delivery.latency")
                .description("Time from a room accepting a chat message to its write to a member's socket")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        meters.add(deliveryLatency);
        chatStored = chatCounter("stored");
        chatDuplicate = chatCounter("duplicate");
        outEvent = outCounter(ServerMessage.EventFrame.TYPE);
        outChatAck = outCounter(ServerMessage.ChatAck.TYPE);
        outOk = outCounter(ServerMessage.Ok.TYPE);
        inChatSend = inCounter(ClientMessage.SendChat.TYPE);
        inSignal = inCounter(ClientMessage.Signal.TYPE);
        // The families dashboards and alerts read exist from startup at zero: a rate over an absent series
        // is no data, and an alert on it could never fire on its first event.
        for (String transport : List.of("ws", "tcp")) {
            slowConsumerCounter(transport);
            for (String reason : CONNECTION_CLOSE_REASONS) {
                connectionsClosedCounter(transport, reason);
            }
        }
        for (String reason : SESSION_END_REASONS) {
            sessionsEndedCounter(reason);
        }
        resumeCounter(true);
        resumeCounter(false);
        sessionsStartedCounter();
        for (ErrorCode code : ErrorCode.values()) {
            errorCounter(code.wire());
        }
        for (boolean persistent : new boolean[] {true, false}) {
            roomsCounter("loaded", persistent);
            roomsCounter("unloaded", persistent);
        }
        ackLatencyPersistent = ackLatency("persistent");
        ackLatencyEphemeral = ackLatency("ephemeral");
    }

    /** Metrics going nowhere: for tests and tools. */
    public static SignalingMetrics noop() {
        return new SignalingMetrics(new CompositeMeterRegistry());
    }

    public void connectionOpened(String transport) {
        counter("connections.opened", "Client connections accepted", "connections", "transport", transport)
                .increment();
        gaugeFor(transport).incrementAndGet();
    }

    /** {@code reason}: one of {@link #CONNECTION_CLOSE_REASONS}. */
    public void connectionClosed(String transport, String reason) {
        connectionsClosedCounter(transport, reason).increment();
        gaugeFor(transport).decrementAndGet();
    }

    private Counter connectionsClosedCounter(String transport, String reason) {
        return counter2("connections.closed", "Client connections closed, by reason", "connections",
                "transport", transport, "reason", reason);
    }

    public void slowConsumerClosed(String transport) {
        slowConsumerCounter(transport).increment();
    }

    private Counter slowConsumerCounter(String transport) {
        return counter("outbound.queue.closes", "Connections closed because their outbound queue overflowed",
                "connections", "transport", transport);
    }

    public void sessionStarted() {
        activeSessions.incrementAndGet();
        sessionsStartedCounter().increment();
    }

    private Counter sessionsStartedCounter() {
        return counter("sessions.started", "Sessions opened by hello", "sessions", null, null);
    }

    /** {@code reason}: one of {@link #SESSION_END_REASONS}. */
    public void sessionEnded(String reason) {
        activeSessions.decrementAndGet();
        sessionsEndedCounter(reason).increment();
    }

    private Counter sessionsEndedCounter(String reason) {
        return counter("sessions.ended", "Sessions ended, by reason", "sessions", "reason", reason);
    }

    /** {@code result}: {@code succeeded} or {@code failed}. */
    public void resume(boolean succeeded) {
        resumeCounter(succeeded).increment();
    }

    private Counter resumeCounter(boolean succeeded) {
        return counter("resumes", "Session resume attempts, by result", "resumes", "result",
                succeeded ? "succeeded" : "failed");
    }

    /** {@code reason}: a fixed word, e.g. {@code auth_failed}, {@code unsupported_version}, {@code hello_timeout}. */
    public void handshakeFailed(String reason) {
        counter("handshake.failures", "Hello handshakes that failed, by reason", "handshakes", "reason", reason)
                .increment();
    }

    /** {@code type}: a protocol type name, or {@code invalid} for frames that did not decode. */
    public void messageIn(String type) {
        // Identity checks first: the type names are the decoder's constants.
        if (type == ClientMessage.SendChat.TYPE) {
            inChatSend.increment();
            return;
        }
        if (type == ClientMessage.Signal.TYPE) {
            inSignal.increment();
            return;
        }
        inCounter(type).increment();
    }

    /** On the delivery hot path: the frequent types hit a field, the rest one map lookup; no allocation. */
    public void messageOut(String type) {
        if (type == ServerMessage.EventFrame.TYPE) {
            outEvent.increment();
        } else if (type == ServerMessage.ChatAck.TYPE) {
            outChatAck.increment();
        } else if (type == ServerMessage.Ok.TYPE) {
            outOk.increment();
        } else {
            outCounter(type).increment();
        }
    }

    private Counter inCounter(String type) {
        Counter c = messagesIn.get(type);
        if (c == null) {
            c = counter("messages.in", "Frames received from clients, by message type", "messages", "type", type);
            messagesIn.put(type, c);
        }
        return c;
    }

    private Counter outCounter(String type) {
        Counter c = messagesOut.get(type);
        if (c == null) {
            c = counter("messages.out", "Frames queued to clients, by message type", "messages", "type", type);
            messagesOut.put(type, c);
        }
        return c;
    }

    private Counter chatCounter(String result) {
        return counter("chat.messages", "Chat messages accepted by rooms; result=duplicate for recognised retries",
                "messages", "result", result);
    }

    /** {@code code}: an {@link io.presence.signaling.protocol.ErrorCode} wire name. */
    public void error(String code) {
        errorCounter(code).increment();
    }

    private Counter errorCounter(String code) {
        return counter("errors", "Error frames sent, by code", "errors", "code", code);
    }

    public void delivered(long acceptedNanos) {
        deliveryLatency.record(time.nanos() - acceptedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void roomOpened() {
        activeRooms.incrementAndGet();
    }

    @Override
    public void roomClosed() {
        activeRooms.decrementAndGet();
    }

    @Override
    public void roomLoaded(boolean persistent) {
        roomsCounter("loaded", persistent).increment();
    }

    @Override
    public void roomUnloaded(boolean persistent) {
        roomsCounter("unloaded", persistent).increment();
    }

    /** {@code presence.rooms.loaded} / {@code .unloaded}, by kind: persistent rooms come and go with their use. */
    private Counter roomsCounter(String what, boolean persistent) {
        return counter("rooms." + what, "Rooms " + what + (what.equals("loaded") ? " into" : " from")
                + " memory, by kind (persistent: kept by the store)", "rooms", "kind",
                persistent ? "persistent" : "ephemeral");
    }

    @Override
    public void memberAdded() {
        members.incrementAndGet();
    }

    @Override
    public void memberRemoved() {
        members.decrementAndGet();
    }

    @Override
    public void chatAccepted(boolean duplicate) {
        (duplicate ? chatDuplicate : chatStored).increment();
    }

    /**
     * From a room accepting a chat message to its ack: in a persistent room that includes the database commit
     * (group commit), so this is what a sender waits; in an ephemeral room it is the room's own work.
     */
    private Timer ackLatency(String room) {
        Timer t = Timer.builder(P + "chat.ack.latency")
                .description("Time from a room accepting a chat message to its chat.ack, by room kind")
                .tag("room", room)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        meters.add(t);
        return t;
    }

    @Override
    public void chatAcknowledged(boolean persistent, long acceptedNanos) {
        (persistent ? ackLatencyPersistent : ackLatencyEphemeral).record(time.nanos() - acceptedNanos,
                TimeUnit.NANOSECONDS);
    }

    /** Removes every meter this instance registered. */
    @Override
    public void close() {
        synchronized (meters) {
            for (Meter m : meters) {
                registry.remove(m);
            }
            meters.clear();
        }
        counters.clear();
        messagesIn.clear();
        messagesOut.clear();
    }

    private AtomicLong gaugeFor(String transport) {
        return activeConnections.computeIfAbsent(transport, t -> new AtomicLong());
    }

    /**
     * Counters and gauges of things carry no base unit: Prometheus would append it to the name
     * ({@code _connections_total}); the name already says what is counted. Durations use seconds.
     */
    private Counter counter(String name, String description, String unit, String tag, String value) {
        return counters.computeIfAbsent(name + '|' + value, k -> {
            Counter.Builder b = Counter.builder(P + name).description(description);
            if (tag != null) {
                b.tag(tag, value);
            }
            return remember(b.register(registry));
        });
    }

    private Counter counter2(String name, String description, String unit, String tag1, String value1,
                             String tag2, String value2) {
        return counters.computeIfAbsent(name + '|' + value1 + '|' + value2, k -> remember(Counter.builder(P + name)
                .description(description).tag(tag1, value1).tag(tag2, value2).register(registry)));
    }

    private <M extends Meter> M remember(M meter) {
        synchronized (meters) {
            meters.add(meter);
        }
        return meter;
    }

}
