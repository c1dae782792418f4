package io.presence.turn;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.net.NetStack;
import io.presence.stun.server.StunSettings;
import io.presence.turn.auth.TurnCredentials;
import io.presence.turn.config.TurnSettings;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A started relay on loopback with a movable clock, plus helpers. Close it after each test. */
public final class TurnFixture implements AutoCloseable {
    public static final String SECRET = "test-secret";
    /** Outside the kernel's ephemeral range (32768–60999). */
    public static final int PORT_MIN = 24000;
    public static final int PORT_MAX = 24999;

    public final NetStack net;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final MutableClock clock = MutableClock.ofSystemTime();
    public final TurnServer server;

    public TurnFixture(Consumer<TurnSettings.Builder> tweak) {
        this(tweak, true);
    }

    public TurnFixture(Consumer<TurnSettings.Builder> tweak, boolean epoll) {
        net = NetStack.create(2, epoll);
        TurnSettings.Builder b = TurnSettings.builder()
                .listener(StunSettings.loopbackEphemeral())
                .secrets(List.of(SECRET))
                .relayIpv4(InetAddress.getLoopbackAddress())
                .relayPorts(PORT_MIN, PORT_MAX)
                // The echo peers of these tests are sockets on loopback, i.e. on this host, which the relay never
                // reaches otherwise (an allow-list entry does not open the host's own ports): allowLoopbackPeers lets
                // loopback ports outside the relay range be peers. Tests of the own-host rule switch it off.
                .allowPeers(List.of("127.0.0.1/32"))
                .allowLoopbackPeers(true)
                .unauthenticatedRate(0, 1);
        tweak.accept(b);
        TurnServer s = new TurnServer(b.build(), net, registry, clock);
        try {
            s.start();
        } catch (RuntimeException e) {
            net.shutdown(Duration.ofSeconds(2));
            throw e;
        }
        server = s;
    }

    public TurnFixture() {
        this(b -> { });
    }

    public TurnCredentials mint(String room, String participant) {
        return server.control().mint(room, participant, Duration.ofHours(2));
    }

    public TurnTestClient client(String room, String participant) throws Exception {
        return new TurnTestClient(server.udpAddress()).credentials(mint(room, participant));
    }

    public double counter(String name, String... tags) {
        var search = registry.find(name);
        if (tags.length > 0) {
            search = search.tags(tags);
        }
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** Waits up to 2 s for a condition (state that settles on an event loop). */
    public static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    public void sweep() {
        server.sweepNow();
    }

    @Override
    public void close() {
        server.close();
        net.shutdown(Duration.ofSeconds(2));
    }

    /** A UDP echo-less peer on loopback that records what it gets. */
    public static final class Peer implements AutoCloseable {
        public final DatagramSocket socket;

        public Peer() throws Exception {
            this(InetAddress.getLoopbackAddress());
        }

        public Peer(InetAddress address) throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(address, 0));
            socket.setSoTimeout(1000);
        }

        public InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        public DatagramPacket receive(int timeoutMillis) throws Exception {
            socket.setSoTimeout(timeoutMillis);
            byte[] buf = new byte[70000];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (java.net.SocketTimeoutException e) {
                return null;
            }
            return new DatagramPacket(Arrays.copyOf(buf, p.getLength()), p.getLength(), p.getSocketAddress());
        }

        public void send(InetSocketAddress to, byte[] data) throws Exception {
            socket.send(new DatagramPacket(data, data.length, to));
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
