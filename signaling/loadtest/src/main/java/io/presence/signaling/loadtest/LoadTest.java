package io.presence.signaling.loadtest;

import io.presence.signaling.client.ClientOptions;
import io.presence.signaling.client.ClientRuntime;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine behind {@code presence loadtest}: opens N sessions over WebSocket or TCP, spreads them over R rooms,
 * offers chat messages at a total rate, optionally drops every connection halfway and resumes them, and reports
 * connect rate, delivery latency percentiles, delivered/lost/duplicated counts and resume success.
 *
 * <p>Latency is measured in this process (the sender stamps {@code System.nanoTime()} into the message text), so run
 * the server in another process on the same machine. Refuses non-loopback targets unless allowed: it is a load
 * generator, not something to point at other people's servers by accident.
 */
public final class LoadTest {
    private static final Logger log = LoggerFactory.getLogger(LoadTest.class);
    static final Duration DRAIN_WAIT = Duration.ofSeconds(10);
    static final long TICK_MILLIS = 10;
    static final double MAX_CATCH_UP_SECONDS = 0.1;

    /** Runs on its own client runtime. */
    public LoadTestReport run(LoadTestOptions options) {
        return run(options, LoadTestProgress.NONE);
    }

    /**
     * Runs on its own client runtime, reporting progress as it goes.
     *
     * @throws LoadTestFailure when no session could be opened (the message says why)
     */
    public LoadTestReport run(LoadTestOptions options, LoadTestProgress progress) {
        checkTarget(options);
        try (ClientRuntime runtime = ClientRuntime.create(Math.max(2, Runtime.getRuntime().availableProcessors()))) {
            return run(options, runtime, progress);
        }
    }

    /** Runs on the given client runtime (tests share one). */
    public LoadTestReport run(LoadTestOptions options, ClientRuntime runtime) {
        return run(options, runtime, LoadTestProgress.NONE);
    }

    public LoadTestReport run(LoadTestOptions options, ClientRuntime runtime, LoadTestProgress progress) {
        checkTarget(options);
        return new Run(options, runtime, progress).execute();
    }

    private static void checkTarget(LoadTestOptions options) {
        if (!options.allowNonLoopback() && (options.target().getAddress() == null
                || !options.target().getAddress().isLoopbackAddress())) {
            throw new IllegalArgumentException("refusing to load-test " + options.target()
                    + ": not a loopback address (allow it explicitly to test a remote server)");
        }
    }

    /** One run's state. */
    private static final class Run {
        final LoadTestOptions o;
        final ClientRuntime runtime;
        final List<Member> members = new ArrayList<>();
        final LatencyHistogram latency = new LatencyHistogram();
        final LatencyHistogram ackLatency = new LatencyHistogram();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong lastAckAt = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong expected = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong duplicated = new AtomicLong();
        final LoadTestErrors errors = new LoadTestErrors();
        final AtomicInteger connectFailures = new AtomicInteger();
        final LoadTestProgress progress;
        long sendStart;

        Run(LoadTestOptions o, ClientRuntime runtime, LoadTestProgress progress) {
            this.o = o;
            this.runtime = runtime;
            this.progress = progress;
        }

        void report(LoadTestProgress.Phase phase, double fraction) {
            progress.update(new LoadTestProgress.Snapshot(phase, fraction, members.size(), o.connections(), sent.get(),
                    delivered.get(), errors.total()));
        }

        /** One session and what it has seen: per sender, the last message number (senders send in order). */
        final class Member {
            final int index;
            final ClientSession client;
            final Map<Integer, Long> lastFromSender = new ConcurrentHashMap<>();
            /** Sent but not yet acknowledged, by client message id: retried after a resume (idempotent). */
            final Map<String, ClientMessage.SendChat> unacked = new ConcurrentHashMap<>();
            String roomId;
            int roomSize;
            long nextNumber;

            void submit(ClientMessage.SendChat chat) {
                unacked.put(chat.clientMsgId(), chat);
                long sentAt = System.nanoTime();
                client.request(chat).whenComplete((reply, failure) -> {
                    if (reply instanceof ServerMessage.ChatAck) {
                        if (unacked.remove(chat.clientMsgId()) != null) {
                            long now = System.nanoTime();
                            ackLatency.record((now - sentAt) / 1000);
                            acked.incrementAndGet();
                            lastAckAt.accumulateAndGet(now, Math::max);
                            expected.addAndGet(roomSize);
                        }
                    } else if (reply instanceof ServerMessage.Error error) {
                        errors.record(error);
                        unacked.remove(chat.clientMsgId());
                    }
                    // failure: the connection went away; the message stays unacked and is retried on resume
                });
            }

            void retryUnacked() {
                unacked.values().stream()
                        .sorted(java.util.Comparator.comparingLong(c -> Long.parseLong(c.clientMsgId().substring(1))))
                        .forEach(c -> submit(new ClientMessage.SendChat(client.nextRequestId(), c.roomId(),
                                c.clientMsgId(), c.text(), null)));
            }

            Member(int index, ClientSession client) {
                this.index = index;
                this.client = client;
            }

            void onEvent(ServerMessage.EventFrame frame) {
                if (!(frame.event() instanceof RoomEvent.ChatPosted posted)) {
                    return;
                }
                String text = posted.message().text();
                int a = text.indexOf(':');
                int b = text.indexOf(':', a + 1);
                if (a < 0 || b < 0) {
                    return;
                }
                int sender = Integer.parseInt(text, 0, a, 10);
                long number = Long.parseLong(text, a + 1, b, 10);
                long stamp = Long.parseLong(text, b + 1, text.length(), 10);
                Long last = lastFromSender.get(sender);
                if (last != null && number <= last) {
                    duplicated.incrementAndGet();
                    return;
                }
                lastFromSender.put(sender, number);
                delivered.incrementAndGet();
                latency.record((System.nanoTime() - stamp) / 1000);
            }
        }

        LoadTestReport execute() {
            long started = System.nanoTime();
            double connectSeconds = connectAll();
            report(LoadTestProgress.Phase.JOINING, 0);
            joinRooms();
            int senders = Math.max(1, (int) Math.round(members.size() * o.senderFraction()));
            int resumesAttempted = 0;
            double resumeSeconds = 0;
            AtomicInteger resumesSucceeded = new AtomicInteger();
            sendStart = System.nanoTime();
            long durationNanos = o.duration().toNanos();
            boolean dropped = !o.dropAndResume();
            // Paced by the clock, not by counting ticks: a slow tick (busy machine, resume phase) is made up for,
            // but by at most MAX_CATCH_UP_SECONDS worth of messages, so a long stall does not turn into a burst.
            double credit = 0;
            long lastTick = System.nanoTime();
            int nextSender = 0;
            while (System.nanoTime() - sendStart < durationNanos) {
                if (!dropped && System.nanoTime() - sendStart >= durationNanos / 2) {
                    dropped = true;
                    report(LoadTestProgress.Phase.RESUMING, 0);
                    long dropAt = System.nanoTime();
                    resumesAttempted = dropAndResume(resumesSucceeded);
                    resumeSeconds = (System.nanoTime() - dropAt) / 1e9;
                }
                long now = System.nanoTime();
                credit = Math.min(credit + o.messagesPerSecond() * (now - lastTick) / 1e9,
                        Math.max(1, o.messagesPerSecond() * MAX_CATCH_UP_SECONDS));
                lastTick = now;
                while (credit >= 1) {
                    // With a window, a sender whose unacknowledged messages fill it is passed over; when every
                    // sender is full the credit is dropped: the server sets the pace (a capacity run).
                    int tried = 0;
                    while (o.window() > 0 && members.get(nextSender).unacked.size() >= o.window() && tried < senders) {
                        nextSender = (nextSender + 1) % senders;
                        tried++;
                    }
                    if (tried == senders) {
                        credit = 0;
                        break;
                    }
                    credit -= 1;
                    send(members.get(nextSender));
                    nextSender = (nextSender + 1) % senders;
                }
                report(LoadTestProgress.Phase.SENDING, (double) (System.nanoTime() - sendStart) / durationNanos);
                sleepMillis(TICK_MILLIS);
            }
            long deadline = System.nanoTime() + DRAIN_WAIT.toNanos();
            while ((delivered.get() < expected.get() || anyUnacked()) && System.nanoTime() < deadline) {
                report(LoadTestProgress.Phase.DRAINING, expected.get() == 0 ? 1 : (double) delivered.get()
                        / expected.get());
                sleepMillis(20);
            }
            if (!o.holdAfter().isZero()) {
                report(LoadTestProgress.Phase.HOLDING, 0);
                sleepMillis(o.holdAfter().toMillis());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (o.persistent()) {
                // In a persistent room an ack means committed: a message never acknowledged is a failed write.
                for (Member m : members) {
                    m.unacked.keySet().forEach(id -> errors.record("unacked", "no chat.ack within the drain wait"));
                }
            }
            long lastAck = lastAckAt.get();
            double ackedPerSecond = lastAck > sendStart ? acked.get() / ((lastAck - sendStart) / 1e9) : 0;
            long seqGaps = 0;
            long seqDuplicates = 0;
            for (Member m : members) {
                seqGaps += m.client.gaps();
                seqDuplicates += m.client.duplicates();
                m.client.close();
            }
            long lost = Math.max(0, expected.get() - delivered.get());
            LoadTestReport report = new LoadTestReport(members.size(), connectFailures.get(),
                    connectSeconds > 0 ? members.size() / connectSeconds : 0, sent.get(), expected.get(),
                    delivered.get(), lost, duplicated.get(), errors.total(), errors.byCode(),
                    latency.percentileMicros(0.50), latency.percentileMicros(0.95), latency.percentileMicros(0.99),
                    latency.maxMicros(), resumesAttempted, resumesSucceeded.get(), resumeSeconds, seconds, seqGaps,
                    seqDuplicates, acked.get(), ackedPerSecond, ackLatency.percentileMicros(0.50),
                    ackLatency.percentileMicros(0.99), ackLatency.maxMicros());
            report(LoadTestProgress.Phase.DONE, 1);
            return report;
        }

        private boolean anyUnacked() {
            for (Member m : members) {
                if (!m.unacked.isEmpty()) {
                    return true;
                }
            }
            return false;
        }

        private double connectAll() {
            ClientOptions base = o.transport() == ClientOptions.Transport.WS
                    ? ClientOptions.ws(o.target()).withWsPath(o.wsPath()) : ClientOptions.tcp(o.target());
            SignalingClient client = SignalingClient.builder().options(base).runtime(runtime).build();
            ExecutorService pool = Executors.newFixedThreadPool(o.connectParallelism());
            long start = System.nanoTime();
            try {
                List<Future<Member>> futures = new ArrayList<>();
                for (int i = 0; i < o.connections(); i++) {
                    int index = i;
                    futures.add(pool.submit(() -> {
                        ClientSession c = client.newSession();
                        try {
                            c.hello("load-" + index);
                        } catch (RuntimeException e) {
                            connectFailures.incrementAndGet();
                            errors.record(e);
                            c.close();
                            return null;
                        }
                        return new Member(index, c);
                    }));
                }
                report(LoadTestProgress.Phase.CONNECTING, 0);
                int done = 0;
                for (Future<Member> f : futures) {
                    Member m = f.get();
                    if (m != null) {
                        members.add(m);
                    }
                    report(LoadTestProgress.Phase.CONNECTING, (double) ++done / futures.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoadTestFailure("interrupted while connecting");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("connect phase failed", e.getCause());
            } finally {
                pool.shutdownNow();
            }
            if (members.isEmpty()) {
                throw new LoadTestFailure(errors.noSessionExplanation(o.target().toString()));
            }
            return (System.nanoTime() - start) / 1e9;
        }

        private void joinRooms() {
            int rooms = Math.min(o.rooms(), members.size());
            String[] ids = new String[rooms];
            Member[] owners = new Member[rooms];
            int[] sizes = new int[rooms];
            for (java.util.Iterator<Member> it = members.iterator(); it.hasNext(); ) {
                Member m = it.next();
                int r = m.index % rooms;
                try {
                    if (ids[r] == null) {
                        ids[r] = m.client.createRoom();
                        owners[r] = m;
                    } else {
                        m.client.join(ids[r]);
                    }
                } catch (RuntimeException e) {
                    // A session that is in no room sends nothing and is expected nothing: leave it out, counted.
                    errors.record(e);
                    m.client.close();
                    it.remove();
                    continue;
                }
                m.roomId = ids[r];
                sizes[r]++;
            }
            if (members.isEmpty()) {
                throw new LoadTestFailure(errors.noSessionExplanation(o.target().toString()));
            }
            if (o.persistent()) {
                nameRooms(ids, owners);
            }
            for (Member m : members) {
                m.roomSize = sizes[m.index % rooms];
                // Join events are not counted; from here on every event goes to the member's counters.
                m.client.onEvent(m::onEvent);
                m.client.onUnsolicited(message -> {
                    if (message instanceof ServerMessage.Error error) {
                        errors.record(error);
                    } else if (message instanceof ServerMessage.Closing closing) {
                        errors.record(closing);
                    }
                });
            }
            // Sessions see member.joined for later joiners; skip those before the measured phase begins.
            sleepMillis(200);
        }

        /**
         * Each room's creator (its owner) names it, which makes it persistent: from then on its chat is committed
         * to the server's database before each ack. A room that cannot be named would measure memory, not storage,
         * so the run stops.
         */
        private void nameRooms(String[] ids, Member[] owners) {
            for (int r = 0; r < ids.length; r++) {
                if (ids[r] == null || owners[r] == null || !members.contains(owners[r])) {
                    continue;
                }
                try {
                    owners[r].client.nameRoom(ids[r], "load-" + r);
                } catch (RuntimeException e) {
                    errors.record(e);
                    throw new LoadTestFailure("room.name failed for room " + r + " (" + e.getMessage()
                            + "): persistent rooms need a database on the target (storage.*)");
                }
            }
        }

        private void send(Member m) {
            long number = m.nextNumber++;
            String text = m.index + ":" + number + ":" + System.nanoTime();
            m.submit(new ClientMessage.SendChat(m.client.nextRequestId(), m.roomId, "l" + number, text, null));
            sent.incrementAndGet();
        }

        private int dropAndResume(AtomicInteger succeeded) {
            for (Member m : members) {
                m.client.dropConnection();
            }
            ExecutorService pool = Executors.newFixedThreadPool(o.connectParallelism());
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (Member m : members) {
                    futures.add(pool.submit(() -> {
                        try {
                            m.client.resume();
                            succeeded.incrementAndGet();
                            m.retryUnacked();
                        } catch (RuntimeException e) {
                            errors.record(e);
                            log.debug("resume of load-{} failed: {}", m.index, e.toString());
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(1, TimeUnit.MINUTES);
                }
            } catch (Exception e) {
                throw new IllegalStateException("resume phase failed", e);
            } finally {
                pool.shutdownNow();
            }
            return members.size();
        }

        private static void sleepMillis(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
