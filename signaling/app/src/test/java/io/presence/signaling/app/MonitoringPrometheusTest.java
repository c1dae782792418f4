package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.client.ClientOptions;
import io.presence.signaling.client.ClientRuntime;
import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.protocol.IceServer;
import io.presence.signaling.loadtest.LoadTest;
import io.presence.signaling.loadtest.LoadTestOptions;
import io.presence.signaling.loadtest.LoadTestReport;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboards and alerts against real parts: a running appliance under a little load (signaling sessions, chat,
 * a run of the load tool's engine with a drop and resume of every connection,
 * a relay-only call, a resume, a bad frame, and coturn's turnutils_uclient relaying datagrams client to client
 * through the appliance's TURN relay), scraped every second by the real Prometheus server. Every dashboard query
 * and every alert expression is evaluated through Prometheus' HTTP API: each parses, each panel query returns data,
 * and on this healthy run no alert is pending or firing.
 */
class MonitoringPrometheusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern ICE_URL = Pattern.compile("turn:127\\.0\\.0\\.1:(\\d+)\\?transport=udp");
    /**
     * Families whose label values are only known with their first event: a close or end reason (known where it is
     * counted), an API endpoint and its answer's status, and the JVM binder's GC pauses (labelled with the
     * collector's own names at its first pause).
     */
    private static final Set<String> APPEAR_WITH_FIRST_EVENT = Set.of(
            "presence_connections_closed_total", "presence_sessions_ended_total", "presence_api_requests_total",
            "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_max");

    private static final String API_KEY = "k3Jd9QxPz7Lw2VbN8mTr5YcH1sFgA6eU";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyPanelQueryReturnsDataAndEveryAlertEvaluatesQuietOnAHealthyAppliance() throws Exception {
        Path prometheusTool = ExternalTools.require("prometheus");
        Path uclient = ExternalTools.require("turnutils_uclient");

        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_SIGNALING_DEV_AUTH", "true");
        env.put("PRESENCE_TURN_ALLOW_PEERS", "127.0.0.1/32");
        // The host-platform API, for the sign-in dashboard's API panel.
        env.put("PRESENCE_API_ENABLED", "true");
        env.put("PRESENCE_API_KEYS", API_KEY);
        // Outside the kernel's ephemeral range (32768-60999), where parallel tests take their ports.
        env.put("PRESENCE_TURN_RELAY_PORT_MIN", "61740");
        env.put("PRESENCE_TURN_RELAY_PORT_MAX", "61799");
        ClientRuntime clients = ClientRuntime.create(1);
        Process prometheus = null;
        try (Appliance appliance = new Appliance(PresenceConfig.load(null, env),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            appliance.start();
            String admin = "127.0.0.1:" + appliance.adminAddress().getPort();
            assertEveryFamilyTheQueriesReadIsExportedFromStart(admin);

            int port = freePort();
            prometheus = startPrometheus(prometheusTool, admin, port);
            String api = "http://127.0.0.1:" + port;
            awaitQuery(api, "up{job=\"presence\"} == 1", r -> r.size() == 1, "Prometheus scrapes the appliance");

            driveLoad(appliance, clients, uclient);
            // Wait for a scrape that saw the load: relayed datagrams, a resume, a credential refresh.
            awaitQuery(api, "sum(turn_relayed_packets_total) > 0 and sum(turn_handoffs_total) > 0", r -> r.size() == 1,
                    "relayed datagrams scraped");
            awaitQuery(api, "presence_resumes_total{result=\"succeeded\"} > 0", r -> r.size() == 1, "resume scraped");
            awaitQuery(api, "presence_live_credentials_refreshed_total > 0", r -> r.size() == 1, "refresh scraped");
            awaitQuery(api, "sum(presence_api_requests_total) >= 2", r -> r.size() == 1, "API requests scraped");
            Thread.sleep(2_000); // two more scrapes, so every rate has two samples after the load

            List<String> empty = new ArrayList<>();
            for (MonitoringFiles.Target t : MonitoringFiles.targets()) {
                JsonNode result = query(api, t.evaluable(), t.toString());
                if (result.isEmpty()) {
                    empty.add(t.toString());
                }
            }
            assertEquals(List.of(), empty, "panel queries that returned no data");
            assertTrue(query(api, "sum(rate(turn_relayed_bytes_total[1m])) > 0", "relayed").size() == 1,
                    "the TURN dashboard sees the relayed traffic");

            JsonNode instances = get(api + "/api/v1/label/instance/values?match[]=presence_build_info");
            assertEquals(List.of(admin), List.of(instances.path("data").get(0).asText()),
                    "the dashboards' instance variable (label_values(presence_build_info, instance))");

            for (MonitoringFiles.Alert a : MonitoringFiles.alerts()) {
                JsonNode result = query(api, a.expr(), a.name());
                assertEquals(0, result.size(), a.name() + " on a healthy appliance: " + result);
            }
            awaitRulesEvaluated(api);
            JsonNode alerts = get(api + "/api/v1/alerts").path("data").path("alerts");
            assertEquals(0, alerts.size(), "pending or firing on a healthy appliance: " + alerts);
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
            clients.close();
        }
    }

    /** A family a panel or alert reads must be there before its first event, or the panel is empty and the alert blind. */
    private void assertEveryFamilyTheQueriesReadIsExportedFromStart(String admin) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://" + admin + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Set<String> exported = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> missing = new TreeSet<>();
        List<String> expressions = new ArrayList<>();
        MonitoringFiles.targets().forEach(t -> expressions.add(t.expr()));
        MonitoringFiles.alerts().forEach(a -> expressions.add(a.expr()));
        for (String expr : expressions) {
            for (String name : MonitoringFiles.metricNames(expr)) {
                if (!exported.contains(name) && !APPEAR_WITH_FIRST_EVENT.contains(name)) {
                    missing.add(name);
                }
            }
        }
        assertEquals(Set.of(), missing, "read by a dashboard or alert but not exported by a fresh appliance");
    }

    private Process startPrometheus(Path tool, String admin, int port) throws Exception {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: presence
                    static_configs:
                      - targets: ['%s']
                """.formatted(MonitoringFiles.RULES.toAbsolutePath().normalize(), admin));
        Process p = new ProcessBuilder(tool.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn").redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return p;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new AssertionError("prometheus not ready: " + Files.readString(dir.resolve("prometheus.log")));
    }

    private void driveLoad(Appliance appliance, ClientRuntime clients, Path uclient) throws Exception {
        SignalingClient ws = SignalingClient.builder().webSocket(appliance.webSocketAddress()).runtime(clients).build();
        ClientSession ann = ws.connect();
        ClientSession bob = ws.connect();
        try {
            ann.hello("ann");
            bob.hello("bob");
            String room = ann.createRoom(true);
            bob.join(room);
            for (int i = 0; i < 5; i++) {
                ann.chat(room, "m" + i, "hello " + i);
            }
            // A persistent room, for the storage dashboard: group commits, and acks that waited for them.
            String kept = ann.createRoom();
            ann.nameRoom(kept, "Kept");
            for (int i = 0; i < 5; i++) {
                ann.chat(kept, "k" + i, "kept " + i);
            }
            ServerMessage.CallJoined call = ann.joinCall(room);
            bob.joinCall(room);
            ann.refreshCredentials(room);
            ann.candidate(room, bob.sessionId(), "candidate:2999745851 1 udp 2122260223 192.168.1.23 54321 typ host",
                    "0", 0);
            bob.dropConnection();
            assertTrue(bob.awaitDisconnect(WAIT));
            assertTrue(bob.resume().resumed());
            ann.sendRaw("{not json");
            // The load tool's own engine (what `presence loadtest` runs): rooms, chat at a steady rate, and every
            // connection dropped and resumed halfway.
            LoadTestReport load = new LoadTest().run(LoadTestOptions.of(ClientOptions.Transport.WS,
                    appliance.webSocketAddress(), 8, 2, 40, Duration.ofMillis(1500)).withDropAndResume(true), clients);
            assertEquals(8, load.sessionsOpened(), load.toText());
            assertEquals(0, load.lost(), load.toText());
            relayThroughTurn(uclient, call.ice().iceServers().get(0));
            callApi(appliance);
            ann.leaveCall(room);
            System.gc(); // the appliance runs in this JVM: a pause for the GC panels
        } finally {
            ann.bye();
            bob.close();
            ann.close();
        }
    }

    /** The host platform asking for a room that does not exist, once with its key and once without. */
    private void callApi(Appliance appliance) throws Exception {
        URI rooms = URI.create("http://127.0.0.1:" + appliance.webSocketAddress().getPort() + "/api/v1/rooms/none");
        int withKey = http.send(HttpRequest.newBuilder(rooms).header("Authorization", "Bearer " + API_KEY).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertTrue(withKey != 401 && withKey < 500, "an authenticated request for an unknown room: " + withKey);
        int without = http.send(HttpRequest.newBuilder(rooms).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertEquals(401, without);
    }

    /** coturn's client, two allocations with the call's credentials sending to each other through the relay. */
    private void relayThroughTurn(Path uclient, IceServer server) throws Exception {
        int turnPort = server.urls().stream().map(ICE_URL::matcher).filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst()
                .orElseThrow(() -> new AssertionError("no TURN UDP URL in " + server.urls()));
        Path log = dir.resolve("uclient.log");
        Process p = new ProcessBuilder(uclient.toString(), "-y", "-c", "-m", "1", "-n", "20", "-l", "120", "-z", "5",
                "-p", Integer.toString(turnPort), "-u", server.username(), "-w", server.credential(), "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("turnutils_uclient did not finish: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), Files.readString(log));
    }

    private JsonNode query(String api, String promql, String what) throws Exception {
        JsonNode body = get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertEquals("success", body.path("status").asText(), what + ": " + body);
        return body.path("data").path("result");
    }

    private void awaitQuery(String api, String promql, Predicate<JsonNode> done, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = query(api, promql, what);
            if (done.test(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + ": " + promql + " gave " + last);
    }

    /** Every rule evaluated by Prometheus itself, without an error. */
    private void awaitRulesEvaluated(String api) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> pending = List.of("?");
        while (System.nanoTime() < deadline && !pending.isEmpty()) {
            pending = new ArrayList<>();
            int rules = 0;
            for (JsonNode group : get(api + "/api/v1/rules").path("data").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    rules++;
                    if (!"ok".equals(rule.path("health").asText())) {
                        pending.add(rule.path("name").asText() + " " + rule.path("health").asText() + " "
                                + rule.path("lastError").asText());
                    }
                }
            }
            if (rules != MonitoringFiles.alerts().size()) {
                pending.add("Prometheus loaded " + rules + " rules");
            }
            if (!pending.isEmpty()) {
                Thread.sleep(200);
            }
        }
        assertEquals(List.of(), pending, "rules Prometheus could not evaluate");
    }

    private JsonNode get(String url) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
