package io.presence.signaling.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplianceTest {

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(Appliance a, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.adminAddress().getPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startsReadyAndPrintsListenersAndReadyLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data), new PrintStream(out, true,
                StandardCharsets.UTF_8))) {
            a.start();
            assertEquals(200, get(a, "/readyz").statusCode());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("admin            http://127.0.0.1:" + a.adminAddress().getPort()), printed);
            assertTrue(printed.matches("(?s).*presence \\S+ ready in \\d+ ms.*"), printed);
            int ws = a.webSocketAddress().getPort();
            assertTrue(printed.contains("call page        http://127.0.0.1:" + ws + "/call/\n"), printed);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ws
                    + "/call/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), "the printed address serves the page");
        }
    }

    @Test
    void generatedSecretsSurviveARestart() throws Exception {
        Appliance.Secrets first;
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data), quiet())) {
            a.start();
            first = a.secrets();
        }
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data), quiet())) {
            a.start();
            assertEquals(first, a.secrets());
            assertEquals(1, a.secrets().turn().size());
            assertTrue(a.secrets().turn().get(0).reveal().length() >= 40, "256-bit secret, base64");
        }
    }

    @Test
    void stopTurnsReadinessOffAndReleasesThePorts() throws Exception {
        Appliance a = new Appliance(TestConfigs.ephemeral(data), quiet());
        a.start();
        int port = a.adminAddress().getPort();
        a.stop();
        assertEquals(io.presence.metrics.health.Readiness.Phase.STOPPED, a.readiness().phase());
        try (var socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        }
        a.stop(); // idempotent
    }

    @Test
    void aPortInUseFailsTheStartAndLeavesNothingRunning() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            var env = TestConfigs.ephemeralEnv(data);
            env.put("PRESENCE_METRICS_PORT", Integer.toString(taken.getLocalPort()));
            awaitNoPresenceThreads();
            int before = presenceThreads().size();
            Appliance a = new Appliance(io.presence.signaling.app.config.PresenceConfig.load(null, env), quiet());
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, a::start);
            assertTrue(e instanceof java.net.BindException || e.getCause() instanceof java.net.BindException,
                    e.toString());
            assertEquals(0, before, "no appliance running before");
            awaitNoPresenceThreads();
        }
    }

    @Test
    void repeatedStartsAndStopsLeakNoThreads() throws Exception {
        // One warm-up cycle loads classes and starts the JVM's and Netty's process-wide helpers.
        cycle();
        int baseline = Thread.activeCount();
        for (int i = 0; i < 4; i++) {
            cycle();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Thread.activeCount() > baseline && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Thread.activeCount() <= baseline, "threads: " + Thread.activeCount() + " > " + baseline
                + " " + allThreads());
        assertEquals(List.of(), presenceThreads());
    }

    private void cycle() throws Exception {
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data), quiet())) {
            a.start();
            assertEquals(200, get(a, "/metrics").statusCode());
            assertTrue(presenceThreads().size() > 0);
        }
        awaitNoPresenceThreads();
    }

    /** A terminated event loop's thread ends a moment after its termination future completes. */
    private static void awaitNoPresenceThreads() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!presenceThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), presenceThreads());
    }

    private static List<String> presenceThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("presence-")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    private static List<String> allThreads() {
        List<String> names = new ArrayList<>();
        Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
        return names;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
