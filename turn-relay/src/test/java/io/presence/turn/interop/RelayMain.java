package io.presence.turn.interop;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.net.LeakDetection;
import io.presence.net.NetStack;
import io.presence.stun.server.StunSettings;
import io.presence.turn.TurnServer;
import io.presence.turn.config.TurnSettings;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Runs the relay alone on loopback, for the interop tests and the benchmark script:
 * {@code RelayMain <port> <secret> <realm> <minPort> <maxPort> [threads]}. Loopback peers are allowed (the
 * equivalent of coturn's {@code --allow-loopback-peers}) and the 401 rate limit is off (like coturn). Prints
 * {@code READY <udp address>} once bound; stops when stdin closes or on SIGTERM.
 */
public final class RelayMain {
    private RelayMain() {
    }

    public static void main(String[] args) throws Exception {
        LeakDetection.productionDefault(); // as the appliance runs
        int port = Integer.parseInt(args[0]);
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        NetStack net = NetStack.create(threads, true);
        TurnSettings settings = TurnSettings.builder()
                .listener(StunSettings.defaults().withBind("127.0.0.1", port))
                .secrets(List.of(args[1]))
                // turnutils_uclient -W mints usernames expiring in 24 h; a longer expiry than this is refused.
                .maxCredentialTtl(Duration.ofHours(24))
                .realm(args[2])
                .relayPorts(Integer.parseInt(args[3]), Integer.parseInt(args[4]))
                .relayIpv4(InetAddress.getByName("127.0.0.1"))
                // The echo peer (turnutils_peer) runs on loopback, i.e. on this host: coturn's --allow-loopback-peers.
                .allowPeers(List.of("127.0.0.0/8"))
                .allowLoopbackPeers(true)
                .unauthenticatedRate(0, 1)
                .quotas(new TurnSettings.Quotas(100_000, 100_000, 100_000, 64, 64, 0, 0))
                .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TurnServer server = new TurnServer(settings, net, registry, Clock.systemUTC()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            net.shutdown(Duration.ofSeconds(2));
        }));
        System.out.println("READY " + server.udpAddress() + " epoll=" + net.isEpoll());
        System.out.flush();
        while (System.in.read() >= 0) {
            // run until stdin closes
        }
        // What happened, for the benchmark's log: every non-zero turn_/stun_ counter.
        registry.getMeters().stream().filter(m -> m instanceof io.micrometer.core.instrument.Counter)
                .map(m -> (io.micrometer.core.instrument.Counter) m).filter(c -> c.count() > 0)
                .forEach(c -> System.out.println("METRIC " + c.getId().getName() + c.getId().getTags() + " " + c.count()));
        System.exit(0);
    }
}
