package io.presence.signaling.loadtest;

import io.presence.signaling.client.ClientOptions;
import io.presence.signaling.client.ClientRuntime;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The idle-session workload of the memory benchmark ({@code presence loadtest --idle}): opens N sessions (one
 * connection each), puts them in rooms of {@code membersPerRoom}, then holds them open without traffic (the client
 * answers the server's keepalive pings) for {@code hold}, printing a {@code READY} line once every session is in
 * its room so a script can measure the server while they are held. Closes everything at the end.
 *
 * <p>Refuses non-loopback targets unless allowed, like {@link LoadTest}.
 */
public final class IdleSessions {

    /**
     * @param transport        WS or TCP
     * @param target           the server's listener for that transport
     * @param wsPath           WebSocket path
     * @param connections      sessions to open
     * @param membersPerRoom   sessions per room (the first of each group creates it, the rest join)
     * @param parallelism      connects in flight at once
     * @param hold             how long to hold the sessions once all are in their rooms
     * @param allowNonLoopback permit a target that is not a loopback address
     */
    public record Options(ClientOptions.Transport transport, InetSocketAddress target, String wsPath,
                          int connections, int membersPerRoom, int parallelism, Duration hold,
                          boolean allowNonLoopback) {
        public Options {
            if (connections < 1 || membersPerRoom < 1 || parallelism < 1) {
                throw new IllegalArgumentException("connections, members per room and parallelism must be >= 1");
            }
        }
    }

    /** What happened: sessions opened, failures, connect rate, and how many were still connected at the end. */
    public record Result(int opened, int failed, int rooms, double connectPerSecond, int connectedAtEnd) {
        public String toText() {
            return String.format(Locale.ROOT, """
                    idle sessions opened %d (%d failed), %.0f/s
                    rooms                %d
                    connected at end     %d
                    """, opened, failed, connectPerSecond, rooms, connectedAtEnd);
        }
    }

    public Result run(Options o, PrintStream progress) {
        if (!o.allowNonLoopback() && (o.target().getAddress() == null
                || !o.target().getAddress().isLoopbackAddress())) {
            throw new IllegalArgumentException("refusing to load-test " + o.target()
                    + ": not a loopback address (allow it explicitly to test a remote server)");
        }
        try (ClientRuntime runtime = ClientRuntime.create(Math.max(2, Runtime.getRuntime().availableProcessors()))) {
            return run(o, runtime, progress);
        }
    }

    Result run(Options o, ClientRuntime runtime, PrintStream progress) {
        ClientOptions base = o.transport() == ClientOptions.Transport.WS
                ? ClientOptions.ws(o.target()).withWsPath(o.wsPath()) : ClientOptions.tcp(o.target());
        SignalingClient client = SignalingClient.builder().options(base).runtime(runtime).build();
        int groups = (o.connections() + o.membersPerRoom() - 1) / o.membersPerRoom();
        ClientSession[] clients = new ClientSession[o.connections()];
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(o.parallelism());
        long start = System.nanoTime();
        try {
            // One task per room: the first member creates it, the others join; rooms proceed in parallel.
            List<Future<?>> futures = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                int first = g * o.membersPerRoom();
                int last = Math.min(o.connections(), first + o.membersPerRoom());
                futures.add(pool.submit(() -> {
                    String roomId = null;
                    for (int i = first; i < last; i++) {
                        ClientSession c = client.newSession();
                        c.onEvent(frame -> { }); // join events of later members: nothing accumulates here
                        try {
                            c.hello("idle-" + i);
                            if (roomId == null) {
                                roomId = c.createRoom();
                            } else {
                                c.join(roomId);
                            }
                            clients[i] = c;
                            int n = opened.incrementAndGet();
                            if (n % 1000 == 0) {
                                progress.println("opened " + n);
                                progress.flush();
                            }
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            c.close();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("connect phase failed", e);
        } finally {
            pool.shutdownNow();
        }
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        progress.printf(Locale.ROOT, "READY %d sessions in %d rooms (%d failed), holding %d s%n", opened.get(),
                groups, failed.get(), o.hold().toSeconds());
        progress.flush();
        try {
            Thread.sleep(o.hold().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int connected = 0;
        for (ClientSession c : clients) {
            if (c != null && c.isConnected()) {
                connected++;
            }
        }
        for (ClientSession c : clients) {
            if (c != null) {
                c.close();
            }
        }
        return new Result(opened.get(), failed.get(), groups,
                connectSeconds > 0 ? opened.get() / connectSeconds : 0, connected);
    }
}
