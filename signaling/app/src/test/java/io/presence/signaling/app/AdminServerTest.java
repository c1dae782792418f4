package io.presence.signaling.app;

import io.micrometer.core.instrument.Counter;
import io.presence.metrics.MetricsRegistry;
import io.presence.metrics.admin.AdminHandler;
import io.presence.metrics.health.Readiness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminServerTest {

    private final MetricsRegistry metrics = new MetricsRegistry();
    private final Readiness readiness = new Readiness();
    private final HttpClient http = HttpClient.newHttpClient();
    private AdminServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = new AdminServer(new InetSocketAddress("127.0.0.1", 0), metrics, readiness);
        InetSocketAddress bound = server.start();
        base = "http://127.0.0.1:" + bound.getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void livenessAnswersInEveryPhase() throws Exception {
        for (Readiness.Phase phase : Readiness.Phase.values()) {
            readiness.moveTo(phase);
            assertEquals(200, get("/healthz").statusCode(), phase.name());
        }
    }

    @Test
    void readinessFollowsThePhaseAndSaysWhy() throws Exception {
        HttpResponse<String> r = get("/readyz");
        assertEquals(503, r.statusCode());
        assertEquals("not ready: starting\n", r.body());

        readiness.moveTo(Readiness.Phase.READY);
        r = get("/readyz");
        assertEquals(200, r.statusCode());
        assertEquals("ready\n", r.body());

        readiness.moveTo(Readiness.Phase.DRAINING);
        r = get("/readyz");
        assertEquals(503, r.statusCode());
        assertEquals("not ready: draining\n", r.body());
    }

    @Test
    void aFailingDependencyMakesItUnready() throws Exception {
        AtomicReference<String> problem = new AtomicReference<>("connection refused");
        readiness.require(new Readiness.Check() {
            @Override
            public String name() {
                return "database";
            }

            @Override
            public String problem() {
                return problem.get();
            }
        });
        readiness.moveTo(Readiness.Phase.READY);
        HttpResponse<String> r = get("/readyz");
        assertEquals(503, r.statusCode());
        assertEquals("not ready: database: connection refused\n", r.body());
        problem.set(null);
        assertEquals(200, get("/readyz").statusCode());
    }

    @Test
    void metricsAreServedInPrometheusTextFormat() throws Exception {
        Counter.builder("test.admin.hits").description("hits in this test").register(metrics.registry()).increment(3);
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertEquals(AdminHandler.PROMETHEUS_TEXT, r.headers().firstValue("content-type").orElseThrow());
        assertTrue(r.body().contains("# HELP test_admin_hits_total hits in this test"), r.body());
        assertTrue(r.body().contains("test_admin_hits_total 3.0"), r.body());
        assertTrue(r.body().contains("jvm_memory_used_bytes"), "JVM metrics are bound");
        assertTrue(r.body().contains("process_cpu_seconds_total"), "process CPU in seconds");
        assertTrue(r.body().contains("netty_allocator_memory_used_bytes"), "Netty allocator metrics are bound");
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        assertEquals(404, get("/admin").statusCode());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }
}
