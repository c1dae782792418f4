package io.presence.signaling.transport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.presence.net.NetStack;
import io.presence.signaling.core.SignalingCore;
import io.presence.signaling.session.SignInThrottle;
import io.presence.signaling.session.SignalingSettings;
import io.presence.signaling.session.TrustedProxies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sign-in throttle behind a reverse proxy, over real WebSocket upgrades from loopback: a trusted proxy's
 * {@code X-Forwarded-For} gives each client its own count, and the same header from an untrusted peer changes
 * nothing (every connection is the peer).
 */
class ForwardedClientAddressTest {
    /** Two failures, then refused: a third failed hello from one source hears the throttle's answer. */
    static final SignInThrottle.Settings STRICT = new SignInThrottle.Settings(1, 2, Duration.ofMinutes(1),
            Duration.ZERO, Duration.ZERO, Duration.ofMinutes(5), 100);
    static final String THROTTLED = "too many failed sign-ins";

    final NetStack net = NetStack.create(1, true);
    SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        net.shutdown(Duration.ofSeconds(5));
    }

    void start(TrustedProxies proxies) {
        SignalingSettings settings = TestServer.settings().build();
        NettyLoops loops = new NettyLoops(net.workers());
        SignalingCore core = SignalingCore.builder(settings).loops(loops).meters(new SimpleMeterRegistry())
                .signInThrottle(STRICT).trustedProxies(proxies).build();
        server = new SignalingServer(core, loops, net, new SimpleMeterRegistry(),
                SignalingServer.DEFAULT_CONNECTION_LIMITS);
        server.start();
    }

    /** One connection's answer to a hello no provider accepts, as seen through {@code forwardedFor}. */
    String failedHello(String forwardedFor) throws Exception {
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("X-Forwarded-For", forwardedFor)
                .buildAsync(URI.create("ws://127.0.0.1:" + server.webSocketAddress().getPort() + "/ws"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                frames.add(data.toString());
                                w.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"hello\",\"requestId\":\"h\",\"version\":1,\"auth\":{\"provider\":\"jwt\","
                + "\"token\":\"x\"}}", true).get(10, TimeUnit.SECONDS);
        try {
            String frame;
            do {
                frame = frames.poll(10, TimeUnit.SECONDS);
                assertNotNull(frame, "an answer to hello");
            } while (!frame.contains("\"requestId\":\"h\""));
            assertTrue(frame.contains("auth_failed"), frame);
            return frame;
        } finally {
            ws.abort();
        }
    }

    @Test
    void aTrustedProxysClientsAreThrottledEachOnTheirOwn() throws Exception {
        start(TrustedProxies.of(List.of("127.0.0.1")));
        failedHello("198.51.100.1");
        failedHello("198.51.100.1");
        assertTrue(failedHello("198.51.100.1").contains(THROTTLED), "the same client is refused");
        assertFalse(failedHello("1.2.3.4, 198.51.100.2").contains(THROTTLED),
                "another client behind the same proxy is not");
    }

    @Test
    void aSpoofedHeaderFromAnUntrustedPeerIsIgnored() throws Exception {
        start(TrustedProxies.NONE);
        failedHello("198.51.100.1");
        failedHello("198.51.100.2");
        assertTrue(failedHello("198.51.100.3").contains(THROTTLED), "all three are the loopback peer");
    }
}
