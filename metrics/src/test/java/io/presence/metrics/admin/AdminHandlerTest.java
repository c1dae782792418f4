package io.presence.metrics.admin;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.presence.metrics.MetricsRegistry;
import io.presence.metrics.health.Readiness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin endpoints as a handler, without a socket: what each path answers, and when readiness says no. */
class AdminHandlerTest {

    private final MetricsRegistry metrics = new MetricsRegistry();
    private final Readiness readiness = new Readiness();

    @AfterEach
    void close() {
        metrics.close();
    }

    private FullHttpResponse ask(HttpMethod method, String uri, boolean keepAlive) {
        EmbeddedChannel channel = new EmbeddedChannel(new AdminHandler(metrics, readiness));
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (!keepAlive) {
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        assertEquals(!keepAlive, !channel.isOpen(), "the connection stays open only when the client keeps it alive");
        return response;
    }

    private static String body(FullHttpResponse r) {
        return r.content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void metricsAreTheRegistrysScrapeInPrometheusText() {
        Counter.builder("test.admin.requests").description("requests in this test").register(metrics.registry())
                .increment(2);
        FullHttpResponse r = ask(HttpMethod.GET, "/metrics?name[]=ignored", true);
        assertEquals(200, r.status().code());
        assertEquals(AdminHandler.PROMETHEUS_TEXT, r.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("no-store", r.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertTrue(body(r).contains("test_admin_requests_total 2.0"), body(r));
        r.release();
    }

    @Test
    void livenessAnswersWhateverTheReadiness() {
        readiness.moveTo(Readiness.Phase.DRAINING);
        FullHttpResponse r = ask(HttpMethod.GET, "/healthz", true);
        assertEquals(200, r.status().code());
        assertEquals("ok\n", body(r));
        r.release();
    }

    @Test
    void readinessFollowsThePhaseAndEveryCheck() {
        FullHttpResponse starting = ask(HttpMethod.GET, "/readyz", true);
        assertEquals(503, starting.status().code());
        assertEquals("not ready: starting\n", body(starting));
        starting.release();

        readiness.moveTo(Readiness.Phase.READY);
        FullHttpResponse ready = ask(HttpMethod.GET, "/readyz", true);
        assertEquals(200, ready.status().code());
        assertEquals("ready\n", body(ready));
        ready.release();

        String[] problem = {"port 3478 closed"};
        readiness.require(new Readiness.Check() {
            public String name() {
                return "stun";
            }

            public String problem() {
                return problem[0];
            }
        });
        readiness.require(new Readiness.Check() {
            public String name() {
                return "database";
            }

            public String problem() {
                throw new IllegalStateException("a check that throws must not take the probe down");
            }
        });
        FullHttpResponse failing = ask(HttpMethod.GET, "/readyz", true);
        assertEquals(503, failing.status().code());
        assertEquals("not ready: stun: port 3478 closed\nnot ready: database: IllegalStateException\n", body(failing));
        failing.release();
        assertThrows(IllegalArgumentException.class, () -> readiness.require(new Readiness.Check() {
            public String name() {
                return "stun";
            }

            public String problem() {
                return null;
            }
        }), "two checks of one name");
    }

    @Test
    void headAnswersHeadersOnlyAndOtherMethodsAreRefused() {
        FullHttpResponse head = ask(HttpMethod.HEAD, "/healthz", true);
        assertEquals(200, head.status().code());
        assertEquals(0, head.content().readableBytes());
        assertEquals("3", head.headers().get(HttpHeaderNames.CONTENT_LENGTH), "the length GET would have sent");
        head.release();

        FullHttpResponse post = ask(HttpMethod.POST, "/metrics", true);
        assertEquals(405, post.status().code());
        post.release();
    }

    @Test
    void unknownPathsPointToTheKnownOnesAndCloseWhenAsked() {
        FullHttpResponse r = ask(HttpMethod.GET, "/admin", false);
        assertEquals(404, r.status().code());
        assertEquals("not found; try /metrics, /healthz, /readyz\n", body(r));
        assertFalse(r.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE, true));
        r.release();
    }
}
