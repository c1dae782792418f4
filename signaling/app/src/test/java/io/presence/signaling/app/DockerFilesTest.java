package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.presence.signaling.app.config.ConfigKey;
import io.presence.signaling.app.config.ConfigSchema;
import io.presence.signaling.app.config.PresenceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image and the compose stack, checked without a Docker engine: the Dockerfile's instructions, what the
 * build context lets in, and the compose file's services, mounts, health checks and appliance environment, which
 * the real configuration loader must accept without an unknown PRESENCE_* variable.
 */
class DockerFilesTest {

    static final Path REPO = Path.of("..", "..");
    static final Path DOCKER = REPO.resolve("docker");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?[-?]([^}]*))?}");
    private static final Pattern PRESENCE_VARIABLE = Pattern.compile("\\b(PRESENCE_[A-Z0-9_]+)\\b");

    @TempDir
    Path tmp;

    /** One Dockerfile instruction, continuation lines joined. */
    record Instruction(String keyword, String args) {
    }

    static List<Instruction> dockerfile() throws Exception {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKER.resolve("Dockerfile"))) {
            if (line.trim().startsWith("#") || (current.length() == 0 && line.isBlank())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().trim();
            current.setLength(0);
            String[] parts = text.split("\\s+", 2);
            out.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
        }
        return out;
    }

    private static List<Instruction> runtimeStage(List<Instruction> all) {
        int last = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return all.subList(last, all.size());
    }

    @Test
    void imageIsPinnedNonRootHealthCheckedAndCopiesTheJarTheBuildMakes() throws Exception {
        List<Instruction> all = dockerfile();
        List<Instruction> froms = all.stream().filter(i -> i.keyword().equals("FROM")).toList();
        assertTrue(froms.size() >= 2, "multi-stage: a build stage and a runtime stage");
        for (Instruction from : froms) {
            String image = from.args().split("\\s+")[0];
            assertTrue(image.matches("[^:@]+:[^:]*\\d[^:]*"), "pinned by a versioned tag: " + image);
            assertFalse(image.endsWith(":latest"), image);
        }
        assertTrue(froms.get(0).args().matches("maven:\\S+ AS build"), "a Maven build stage: " + froms.get(0));
        String runtime = froms.get(froms.size() - 1).args();
        assertTrue(runtime.matches("\\S+:17[.\\d_]*-jre\\S*"), "a Java 17 JRE runtime: " + runtime);

        List<Instruction> stage = runtimeStage(all);
        Instruction user = stage.stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no USER in the runtime stage"));
        String uid = user.args().split(":")[0];
        assertTrue(uid.matches("\\d+") && Integer.parseInt(uid) >= 1000, "numeric non-root user: " + user);

        Instruction health = stage.stream().filter(i -> i.keyword().equals("HEALTHCHECK")).findFirst()
                .orElseThrow(() -> new AssertionError("no HEALTHCHECK"));
        assertTrue(health.args().contains("/healthz"), health.args());
        assertTrue(health.args().contains("${PRESENCE_METRICS_HOST:-" + ConfigSchema.METRICS_HOST.defaultValue() + "}")
                && health.args().contains("${PRESENCE_METRICS_PORT:-" + ConfigSchema.METRICS_PORT.defaultValue() + "}"),
                "the probe follows the admin listener's configuration and defaults: " + health.args());
        assertTrue(stage.stream().anyMatch(i -> i.keyword().equals("STOPSIGNAL") && i.args().equals("SIGTERM")));

        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : stage) {
            if (i.keyword().equals("ENV")) {
                Matcher m = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(i.args());
                while (m.find()) {
                    env.put(m.group(1), m.group(2).replace("\"", ""));
                }
            }
        }
        Set<String> secretVariables = new TreeSet<>();
        for (ConfigKey<?> key : ConfigSchema.ALL) {
            if (key.secret()) {
                secretVariables.add(key.envName());
            }
        }
        for (String name : env.keySet()) {
            assertFalse(secretVariables.contains(name) || name.matches("(?i).*(secret|password|token|key).*"),
                    "a secret baked into the image: " + name);
        }
        String dataDir = env.get(ConfigSchema.SERVER_DATA_DIR.envName());
        assertNotNull(dataDir);
        assertTrue(stage.stream().anyMatch(i -> i.keyword().equals("VOLUME") && i.args().contains("\"" + dataDir + "\"")),
                "the data directory is a volume");
        PresenceConfig config = PresenceConfig.load(null, withoutJavaOpts(env));
        assertEquals(List.of(), config.values().ignoredEnvironment());

        String entrypoint = stage.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).findFirst().orElseThrow().args();
        assertTrue(entrypoint.contains("exec java $PRESENCE_JAVA_OPTS"), "PRESENCE_JAVA_OPTS honoured, java is PID 1: "
                + entrypoint);

        // The jar copied out of the build stage is the one the app module's shade plugin writes.
        String pom = Files.readString(REPO.resolve("signaling").resolve("app").resolve("pom.xml"));
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertTrue(finalName.find());
        String workdir = all.stream().filter(i -> i.keyword().equals("WORKDIR")).findFirst().orElseThrow().args();
        String copy = stage.stream().filter(i -> i.keyword().equals("COPY") && i.args().startsWith("--from=build"))
                .findFirst().orElseThrow().args();
        assertEquals(workdir + "/signaling/app/target/" + finalName.group(1) + ".jar", copy.split("\\s+")[1]);

        for (Instruction i : all) {
            if (i.keyword().equals("RUN")) {
                assertFalse(i.args().matches(".*\\|\\|\\s*(true|:)\\b.*"), "a step whose failure is ignored: " + i);
            }
        }
    }

    /**
     * The build stage copies every module of the reactor, its pom and its main sources: a module left out builds
     * here and breaks only the image.
     */
    @Test
    void theBuildStageCopiesEveryModule() throws Exception {
        List<Instruction> all = dockerfile();
        List<String> copied = new ArrayList<>();
        for (Instruction i : all) {
            if (i.keyword().equals("FROM") && !copied.isEmpty()) {
                break;
            }
            if (i.keyword().equals("COPY") && !i.args().startsWith("--")) {
                String[] parts = i.args().trim().split("\\s+");
                for (int s = 0; s < parts.length - 1; s++) {
                    copied.add(parts[s].replaceAll("/$", ""));
                }
            }
        }
        List<Path> poms;
        try (Stream<Path> files = Files.walk(REPO)) {
            poms = files.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.toString().contains("node_modules") && !p.toString().contains("/target/"))
                    .toList();
        }
        assertTrue(poms.size() >= 10, "the reactor's modules: " + poms);
        for (Path pom : poms) {
            String path = REPO.normalize().relativize(pom.normalize()).toString().replace('\\', '/');
            assertTrue(copied.contains(path), "the build stage does not copy " + path + ": " + copied);
            Path main = pom.getParent().resolve("src").resolve("main");
            if (Files.isDirectory(main)) {
                String sources = REPO.normalize().relativize(main.normalize()).toString().replace('\\', '/');
                assertTrue(copied.contains(sources), "the build stage does not copy " + sources);
            }
        }
    }

    /** The image's HEALTHCHECK and ENTRYPOINT commands, run here as the container would run them. */
    @Test
    void healthCheckAndEntrypointCommandsWork() throws Exception {
        ExternalTools.require("bash");
        List<Instruction> stage = runtimeStage(dockerfile());
        List<String> health = jsonArray(stage.stream().filter(i -> i.keyword().equals("HEALTHCHECK")).findFirst()
                .orElseThrow().args().replaceAll("^.*?CMD\\s+", ""));
        try (Appliance a = new Appliance(TestConfigs.ephemeral(tmp.resolve("data")),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8))) {
            a.start();
            Map<String, String> env = Map.of("PRESENCE_METRICS_PORT", Integer.toString(a.adminAddress().getPort()));
            assertEquals(0, exec(health, env).exitValue(), "healthy appliance");
            int closed;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            assertTrue(exec(health, Map.of("PRESENCE_METRICS_PORT", Integer.toString(closed))).exitValue() != 0,
                    "nothing listening");
        }

        // The jar is not built yet when tests run: the same command line with the test class path instead.
        List<String> entrypoint = new ArrayList<>();
        for (String arg : jsonArray(stage.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).findFirst()
                .orElseThrow().args())) {
            entrypoint.add(arg.replace("-jar /opt/presence/presence.jar", "-cp " + System.getProperty("java.class.path")
                    + " " + Main.class.getName()).replaceFirst("exec java ", "exec " + Path.of(System.getProperty(
                    "java.home"), "bin", "java") + " "));
        }
        entrypoint.add("version");
        Process ok = exec(entrypoint, Map.of("PRESENCE_JAVA_OPTS", "-Xmx64m -Dpresence.unused=1"));
        String out = new String(ok.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, ok.exitValue(), out);
        assertTrue(out.startsWith("presence "), out);
        Process bad = exec(entrypoint, Map.of("PRESENCE_JAVA_OPTS", "-Xmx1x"));
        String err = new String(bad.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(bad.exitValue() != 0 && err.contains("Invalid maximum heap size"), "PRESENCE_JAVA_OPTS reach java: " + err);
    }

    private static List<String> jsonArray(String json) throws Exception {
        List<String> out = new ArrayList<>();
        new ObjectMapper().readTree(json).forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Process exec(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PRESENCE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), command.toString());
        return p;
    }

    private static Map<String, String> withoutJavaOpts(Map<String, String> env) {
        Map<String, String> copy = new HashMap<>(env);
        copy.remove("PRESENCE_JAVA_OPTS");
        return copy;
    }

    @Test
    void buildContextLetsInTheSourcesAndKeepsSecretsOut() throws Exception {
        assertFalse(Files.exists(DOCKER.resolve("Dockerfile.dockerignore")),
                "a per-Dockerfile ignore file would replace the repository's .dockerignore");
        DockerIgnore ignore = new DockerIgnore(REPO.resolve(".dockerignore"));
        List<String> needed = new ArrayList<>(List.of("pom.xml"));
        // Every module of the reactor: each pom.xml below the root, and the main sources beside it.
        List<Path> poms;
        try (Stream<Path> files = Files.walk(REPO)) {
            poms = files.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.toString().contains("node_modules") && !p.toString().contains("/target/"))
                    .filter(p -> !p.getParent().normalize().equals(REPO.normalize()))
                    .toList();
        }
        assertTrue(poms.size() >= 10, "the reactor's modules: " + poms);
        for (Path pom : poms) {
            needed.add(REPO.relativize(pom).toString().replace('\\', '/'));
            Path main = pom.getParent().resolve("src").resolve("main");
            if (Files.isDirectory(main)) {
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(Files::isRegularFile).forEach(f -> needed.add(REPO.relativize(f).toString().replace('\\', '/')));
                }
            }
        }
        for (String path : needed) {
            assertFalse(ignore.excludes(path), "the build needs " + path);
        }
        for (String secret : List.of("docker/turn_secret", "docker/grafana_admin_password", "docker/.env", ".env",
                "docker/token_keys", "docker/api_keys", "docker/storage_password",
                "data/turn-secret", "signaling/app/src/main/resources/server.pem", "signaling/server/src/main/resources/tls.key",
                "stun/src/main/resources/keystore.p12", ".git/config", "signaling/app/target/presence.jar",
                "signaling/app/src/test/node/node_modules/x/index.js")) {
            assertTrue(ignore.excludes(secret), secret + " would be sent to the build");
        }
        for (Instruction i : dockerfile()) {
            if (i.keyword().equals("COPY") && !i.args().startsWith("--from")) {
                String[] parts = i.args().split("\\s+");
                for (int s = 0; s < parts.length - 1; s++) {
                    assertFalse(ignore.excludes(parts[s].replaceAll("/$", "")), "COPY of an ignored path: " + i);
                }
            }
        }
    }

    /**
     * The PRESENCE_* names the files mention (comments too) that are neither a configuration key's variable, nor
     * a secret key's {@code _FILE} variant, nor PRESENCE_JAVA_OPTS (read by the launch scripts, not the appliance).
     */
    static Set<String> unknownVariables(List<Path> files) throws IOException {
        Set<String> named = new TreeSet<>();
        for (Path f : files) {
            Matcher m = PRESENCE_VARIABLE.matcher(Files.readString(f));
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        Set<String> known = new TreeSet<>(Set.of("PRESENCE_JAVA_OPTS", "PRESENCE_CONFIG"));
        for (ConfigKey<?> key : ConfigSchema.ALL) {
            known.add(key.envName());
            if (key.secret()) {
                known.add(ConfigKey.envName(key.filePath()));
            }
        }
        named.removeAll(known);
        return named;
    }

    private static JsonNode compose() throws Exception {
        return YAML.readTree(DOCKER.resolve("compose.yaml").toFile());
    }

    /** Compose's interpolation with sample values for what an operator sets in docker/.env. */
    private static String interpolate(String value, Map<String, String> dotEnv) {
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = dotEnv.containsKey(m.group(1)) ? dotEnv.get(m.group(1)) : m.group(2) == null ? "" : m.group(2);
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }

    private Map<String, String> applianceEnvironment(JsonNode presence) throws Exception {
        Map<String, String> dotEnv = Map.of("PRESENCE_SERVER_PUBLIC_HOST", "calls.example.org");
        Map<String, String> env = new LinkedHashMap<>();
        presence.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(),
                interpolate(e.getValue().asText(), dotEnv)));
        return env;
    }

    @Test
    void composeEnvironmentIsAcceptedByTheConfigurationLoader() throws Exception {
        JsonNode presence = compose().path("services").path("presence");
        Map<String, String> env = applianceEnvironment(presence);
        for (String name : env.keySet()) {
            assertTrue(name.startsWith("PRESENCE_"), name);
        }
        // The secret file exists at run time only; the loader reads it.
        String secretFile = env.get(ConfigKey.envName(ConfigSchema.TURN_SECRETS.filePath()));
        assertTrue(secretFile.startsWith("/run/secrets/"), secretFile);
        String secretName = secretFile.substring("/run/secrets/".length());
        List<String> granted = new ArrayList<>();
        presence.path("secrets").forEach(s -> granted.add(s.asText()));
        assertTrue(granted.contains(secretName), "the service is given the secret it reads");
        assertTrue(compose().path("secrets").path(secretName).path("file").asText().startsWith("./"));
        PresenceConfig config = applianceConfig(env);
        assertEquals(List.of(), config.values().ignoredEnvironment(), "variables that are not configuration keys");
        assertEquals("calls.example.org", config.server().publicHost());
        assertEquals(1, config.turn().secrets().size());

        // The variables of docker/.env.example and of the commented-out published-ports alternative are keys too.
        assertEquals(Set.of(), unknownVariables(List.of(DOCKER.resolve(".env.example"), DOCKER.resolve("compose.yaml"))),
                "PRESENCE_* names in the compose files that are no configuration key");

        // Calls drain before Docker kills.
        Duration stopGrace = Duration.ofSeconds(Long.parseLong(presence.path("stop_grace_period").asText()
                .replace("s", "")));
        assertTrue(stopGrace.compareTo(config.server().shutdownGrace().plusSeconds(5)) >= 0,
                stopGrace + " vs shutdownGrace " + config.server().shutdownGrace());
        assertEquals("SIGTERM", presence.path("stop_signal").asText());
    }

    /** The appliance's configuration from the compose environment, its run-time secret file in a temporary one. */
    private PresenceConfig applianceConfig(Map<String, String> env) throws Exception {
        Path secret = tmp.resolve("turn_secret");
        Files.writeString(secret, "a-turn-secret-of-enough-length\n");
        Map<String, String> loaded = new HashMap<>(withoutJavaOpts(env));
        loaded.put(ConfigKey.envName(ConfigSchema.TURN_SECRETS.filePath()), secret.toString());
        return PresenceConfig.load(null, loaded);
    }

    /**
     * The commented-out sign-in lines, uncommented as the comments say: every secret they read is a compose secret
     * of a file beside compose.yaml, and the appliance accepts the whole environment.
     */
    @Test
    void composeSignInLinesWorkOnceUncommented() throws Exception {
        String text = Files.readString(DOCKER.resolve("compose.yaml"));
        Matcher m = Pattern.compile("(?m)^\\s*# (PRESENCE_(?:SIGNALING_TOKEN_KEYS_FILE|API_\\w+|AUTH_FRIEND_\\w+"
                + "|SERVER_TRUSTED_PROXIES)): \"?([^\"\\s]+)\"?$").matcher(text);
        Map<String, String> env = new HashMap<>(applianceEnvironment(compose().path("services").path("presence")));
        Set<String> named = new TreeSet<>();
        while (m.find()) {
            String value = m.group(2);
            if (value.startsWith("/run/secrets/")) {
                String secret = value.substring("/run/secrets/".length());
                assertTrue(text.contains("\n      # - " + secret + "\n"), "granted to the service: " + secret);
                assertTrue(text.contains("\n  # " + secret + ":\n  #   file: ./" + secret + "\n"), "declared: " + secret);
                assertTrue(text.contains("> docker/" + secret + "\n"), "how to make docker/" + secret);
                Path file = tmp.resolve(secret);
                Files.writeString(file, "k3Jd9QxPz7Lw2VbN8mTr5YcH1sFgA6eUq0Xw4Zy8\n");
                value = file.toString();
            }
            named.add(m.group(1));
            env.put(m.group(1), value);
        }
        assertEquals(Set.of("PRESENCE_SIGNALING_TOKEN_KEYS_FILE", "PRESENCE_API_ENABLED", "PRESENCE_API_KEYS_FILE",
                "PRESENCE_AUTH_FRIEND_ENABLED", "PRESENCE_AUTH_FRIEND_URL", "PRESENCE_SERVER_TRUSTED_PROXIES"), named);
        PresenceConfig config = applianceConfig(env);
        assertEquals(List.of(), config.values().ignoredEnvironment());
        assertEquals(1, io.presence.signaling.app.config.SignInConfig.tokenKeys(config).size());
        assertEquals(1, io.presence.signaling.app.config.ApiConfig.settings(config).orElseThrow().keys().size());
        assertTrue(io.presence.signaling.app.config.SignInConfig.friend(config).isPresent());
        var proxies = io.presence.signaling.app.config.SignInConfig.trustedProxies(config);
        assertTrue(proxies.isTrusted(java.net.InetAddress.getByName("127.0.0.1")), "a proxy on the host");
        assertTrue(proxies.isTrusted(java.net.InetAddress.getByName("172.31.250.9")), "a proxy container");
        assertFalse(proxies.isTrusted(java.net.InetAddress.getByName("203.0.113.9")), "a client");
    }

    @Test
    void composeRunsTheApplianceOnTheHostNetworkReadOnlyWithItsDataOnAVolume() throws Exception {
        JsonNode services = compose().path("services");
        assertEquals(Set.of("presence", "prometheus", "grafana"), fieldNames(services));
        JsonNode presence = services.path("presence");
        assertEquals("host", presence.path("network_mode").asText(), "TURN's relay range needs the host's network");
        assertTrue(presence.path("read_only").asBoolean());
        assertTrue(presence.path("tmpfs").get(0).asText().startsWith("/tmp:"), "a writable /tmp");
        assertTrue(presence.path("tmpfs").get(0).asText().contains("exec"), "Netty loads its native library from /tmp");
        String dataDir = dockerfileEnv(ConfigSchema.SERVER_DATA_DIR.envName());
        assertTrue(presence.path("volumes").get(0).asText().matches("[a-z-]+:" + Pattern.quote(dataDir)),
                "the data directory is a named volume: " + presence.path("volumes"));
        assertTrue(presence.path("healthcheck").isObject() && !presence.path("healthcheck").path("disable").asBoolean());
        assertFalse(presence.has("ports"), "host networking publishes nothing");
        Path context = DOCKER.resolve(presence.path("build").path("context").asText());
        assertEquals(REPO.toRealPath(), context.toRealPath(), "the repository is the build context (.dockerignore)");
        assertTrue(Files.isRegularFile(context.resolve(presence.path("build").path("dockerfile").asText())));
        assertFalse(services.toString().contains("mysql") || services.toString().contains("mariadb"),
                "no database service: the embedded one by default, or the operator's through PRESENCE_STORAGE_URL");
    }

    @Test
    void composeKeepsTheEmbeddedDatabaseOnTheDataVolumeUnlessAUrlIsSet() throws Exception {
        JsonNode presence = compose().path("services").path("presence");
        Map<String, String> env = new HashMap<>(applianceEnvironment(presence));
        // The image sets the data directory; compose mounts the volume there.
        env.put(ConfigSchema.SERVER_DATA_DIR.envName(), dockerfileEnv(ConfigSchema.SERVER_DATA_DIR.envName()));
        var storage = io.presence.signaling.app.config.ModuleSettings.storage(applianceConfig(env));
        assertTrue(storage.embedded(), storage.toString());
        assertEquals(Path.of(dockerfileEnv(ConfigSchema.SERVER_DATA_DIR.envName())), storage.dataDir(),
                "the embedded database lives on the data volume");
        assertEquals(4, storage.poolSize());

        String url = presence.path("environment").path("PRESENCE_STORAGE_URL").asText();
        String user = presence.path("environment").path("PRESENCE_STORAGE_USER").asText();
        Map<String, String> dotEnv = Map.of("PRESENCE_SERVER_PUBLIC_HOST", "calls.example.org",
                "PRESENCE_STORAGE_URL", "jdbc:mysql://db.example:3306/presence", "PRESENCE_STORAGE_USER", "presence");
        Map<String, String> withDatabase = new HashMap<>(env);
        withDatabase.put("PRESENCE_STORAGE_URL", interpolate(url, dotEnv));
        withDatabase.put("PRESENCE_STORAGE_USER", interpolate(user, dotEnv));
        Path password = tmp.resolve("storage_password");
        Files.writeString(password, "db-password-0123456789");
        withDatabase.put("PRESENCE_STORAGE_PASSWORD_FILE", password.toString());
        var external = io.presence.signaling.app.config.ModuleSettings.storage(applianceConfig(withDatabase));
        assertEquals("jdbc:mysql://db.example:3306/presence", external.jdbcUrl());
        assertEquals("presence", external.user());
        assertEquals("db-password-0123456789", external.password());
    }

    @Test
    void prometheusScrapesTheAdminListenerAndLoadsTheAlertRules() throws Exception {
        JsonNode compose = compose();
        JsonNode prometheus = compose.path("services").path("prometheus");
        Map<String, String> env = applianceEnvironment(compose.path("services").path("presence"));
        PresenceConfig config = applianceConfig(env);
        String admin = config.metrics().bind().getHostString() + ":" + config.metrics().bind().getPort();

        JsonNode gateway = compose.path("networks").path("monitoring").path("ipam").path("config").get(0);
        assertEquals(config.metrics().bind().getHostString(), gateway.path("gateway").asText(),
                "the admin listener binds the host's address on the monitoring network");
        List<String> networks = new ArrayList<>();
        prometheus.path("networks").forEach(n -> networks.add(n.asText()));
        assertEquals(List.of("monitoring"), networks);

        Map<String, String> mounts = bindMounts(prometheus);
        String configInContainer = prometheus.path("command").get(0).asText().replace("--config.file=", "");
        Path prometheusYml = DOCKER.resolve(mounts.get(configInContainer));
        JsonNode scrape = YAML.readTree(prometheusYml.toFile());
        JsonNode targets = scrape.path("scrape_configs").get(0).path("static_configs").get(0).path("targets");
        assertEquals(admin, targets.get(0).asText());
        String rules = scrape.path("rule_files").get(0).asText();
        assertEquals(MonitoringFiles.RULES.toRealPath(), DOCKER.resolve(mounts.get(rules)).toRealPath(),
                "the alert rules of metrics/monitoring");
        assertTrue(prometheus.path("image").asText().matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+"));
    }

    @Test
    void grafanaIsProvisionedWithTheDashboardsAndThePrometheusDatasource() throws Exception {
        JsonNode grafana = compose().path("services").path("grafana");
        assertTrue(grafana.path("image").asText().matches("grafana/grafana:\\d+\\.\\d+\\.\\d+"));
        Map<String, String> mounts = bindMounts(grafana);
        Path provisioning = DOCKER.resolve(mounts.get("/etc/grafana/provisioning"));
        JsonNode datasource = YAML.readTree(provisioning.resolve("datasources").resolve("prometheus.yaml").toFile())
                .path("datasources").get(0);
        assertEquals("prometheus", datasource.path("type").asText());
        assertEquals("http://prometheus:9090", datasource.path("url").asText(), "the compose service");
        assertTrue(datasource.path("isDefault").asBoolean(), "the dashboards' datasource variable picks the default");

        JsonNode provider = YAML.readTree(provisioning.resolve("dashboards").resolve("presence.yaml").toFile())
                .path("providers").get(0);
        String dashboardsInContainer = provider.path("options").path("path").asText();
        assertEquals(MonitoringFiles.DASHBOARDS.toRealPath(),
                DOCKER.resolve(mounts.get(dashboardsInContainer)).toRealPath());
        assertTrue(grafana.path("ports").get(0).asText().startsWith("127.0.0.1:"), "Grafana on loopback by default");
        assertTrue(grafana.path("environment").path("GF_SECURITY_ADMIN_PASSWORD__FILE").asText().startsWith("/run/secrets/"));
        assertTrue(grafana.path("healthcheck").path("test").toString().contains("/api/health"));
    }

    /** Container path → host path (relative to docker/) of a service's bind mounts; every source exists. */
    private static Map<String, String> bindMounts(JsonNode service) {
        Map<String, String> mounts = new HashMap<>();
        for (JsonNode v : service.path("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts[0].startsWith(".")) {
                assertTrue(Files.exists(DOCKER.resolve(parts[0])), "mount source missing: " + parts[0]);
                mounts.put(parts[1], parts[0]);
            }
        }
        return mounts;
    }

    private static String dockerfileEnv(String name) throws Exception {
        for (Instruction i : runtimeStage(dockerfile())) {
            Matcher m = Pattern.compile(Pattern.quote(name) + "=(\\S+)").matcher(i.args());
            if (i.keyword().equals("ENV") && m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError(name + " not set in the Dockerfile");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
