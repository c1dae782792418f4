package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.signaling.app.config.ConfigSchema;
import io.presence.signaling.app.config.PresenceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's reverse proxy example (signaling/packaging/nginx/presence.conf) run by the real nginx in front of the
 * appliance, with only its ports and certificate paths changed: the web client over https and a signaling WebSocket
 * over wss (hello, welcome) through it, plain HTTP sent to HTTPS. Needs nginx and openssl; skipped when absent
 * unless PRESENCE_E2E=required.
 */
class NginxProxyTest {

    static final Path EXAMPLE = Path.of("..", "packaging", "nginx", "presence.conf");
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private Process nginx;
    private Appliance appliance;

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) {
            List<ProcessHandle> workers = nginx.descendants().toList();
            nginx.destroy(); // SIGTERM: the master stops its workers
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
            workers.forEach(ProcessHandle::destroyForcibly);
        }
        if (appliance != null) {
            appliance.stop();
        }
    }

    @Test
    void callPageOverHttpsAndSignalingOverWssThroughTheExample() throws Exception {
        Path nginxBinary = ExternalTools.require("nginx");
        Path openssl = ExternalTools.require("openssl");
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_SIGNALING_DEV_AUTH", "true");
        appliance = new Appliance(PresenceConfig.load(null, env),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        appliance.start();
        int upstream = appliance.webSocketAddress().getPort();

        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run(List.of(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()));

        int https = freePort();
        int http = freePort();
        String example = Files.readString(EXAMPLE);
        String site = replace(example, Map.of(
                "server 127.0.0.1:8080;", "server 127.0.0.1:" + upstream + ";",
                "listen 443 ssl;", "listen 127.0.0.1:" + https + " ssl;",
                "listen [::]:443 ssl;", "",
                "listen 80;", "listen 127.0.0.1:" + http + ";",
                "listen [::]:80;", "",
                "/etc/letsencrypt/live/calls.example.org/fullchain.pem", cert.toString(),
                "/etc/letsencrypt/live/calls.example.org/privkey.pem", key.toString()));
        Files.writeString(dir.resolve("presence.conf"), site);
        Path temp = Files.createDirectories(dir.resolve("nginx-temp"));
        Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "worker_processes 1;",
                "error_log " + dir.resolve("error.log") + " info;",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + temp.resolve("client") + ";",
                "  proxy_temp_path " + temp.resolve("proxy") + ";",
                "  fastcgi_temp_path " + temp.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + temp.resolve("uwsgi") + ";",
                "  scgi_temp_path " + temp.resolve("scgi") + ";",
                "  include " + dir.resolve("presence.conf") + ";",
                "}", ""));
        nginx = new ProcessBuilder(nginxBinary.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        awaitListening(https);

        HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(WAIT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String base = "https://127.0.0.1:" + https;
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/")).timeout(WAIT)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("/app/app.js"), "the web client over https");

        // A browser's WebSocket: Origin is the page's, Host is nginx's address; the appliance must see both alike.
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = client.newWebSocketBuilder().connectTimeout(WAIT).header("Origin", base)
                .buildAsync(URI.create("wss://127.0.0.1:" + https + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            first.complete(text.toString());
                        }
                        socket.request(1);
                        return null;
                    }
                }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"hello\",\"version\":1,\"requestId\":\"1\",\"auth\":{\"provider\":\"dev\","
                + "\"displayName\":\"Ann\"}}", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonNode welcome = new ObjectMapper().readTree(first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("welcome", welcome.path("type").asText(), welcome.toString());
        assertEquals("1", welcome.path("requestId").asText());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(WAIT.toSeconds(), TimeUnit.SECONDS);

        HttpResponse<Void> plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/")).timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.discarding());
        assertEquals(301, plain.statusCode());
        assertTrue(plain.headers().firstValue("location").orElse("").startsWith("https://"), plain.headers().toString());
    }

    /** The WebSocket location outlives the appliance's keepalive by far: nginx must never be what ends it. */
    @Test
    void webSocketReadTimeoutExceedsTheLongestKeepalive() throws Exception {
        String example = Files.readString(EXAMPLE);
        Matcher ws = Pattern.compile("location = /ws \\{([^}]*)}").matcher(example);
        assertTrue(ws.find(), "a location for the WebSocket path");
        Matcher timeout = Pattern.compile("proxy_read_timeout (\\d+)([smh]);").matcher(ws.group(1));
        assertTrue(timeout.find(), "proxy_read_timeout in the WebSocket location");
        long seconds = Long.parseLong(timeout.group(1)) * switch (timeout.group(2)) {
            case "h" -> 3600;
            case "m" -> 60;
            default -> 1;
        };
        Duration longestSilence = largest(ConfigSchema.SIGNALING_PING_INTERVAL).multipliedBy(2)
                .plus(largest(ConfigSchema.SIGNALING_PING_GRACE));
        assertTrue(Duration.ofSeconds(seconds).compareTo(longestSilence) > 0, seconds + " s");
        assertTrue(ws.group(1).contains("proxy_set_header Upgrade    $http_upgrade;")
                && ws.group(1).contains("proxy_set_header Connection $connection_upgrade;")
                && ws.group(1).contains("proxy_set_header Host              $http_host;"), ws.group(1));
    }

    /** The key's largest allowed value, read from its bounds (e.g. "1s..10m"). */
    private static Duration largest(io.presence.signaling.app.config.ConfigKey<Duration> key) throws Exception {
        String allowed = key.type().allowed();
        return key.type().parse(allowed.substring(allowed.indexOf("..") + 2));
    }

    private static String replace(String text, Map<String, String> replacements) {
        String out = text;
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            assertTrue(out.contains(r.getKey()), "the example lacks " + r.getKey());
            out = out.replace(r.getKey(), r.getValue());
        }
        return out;
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new AssertionError("nginx exited " + nginx.exitValue() + ": "
                        + Files.readString(dir.resolve("nginx.out")) + Files.readString(dir.resolve("error.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen on " + port);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("nginx", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.out").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl did not finish");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("openssl.out")));
    }
}
