package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.presence.signaling.app.config.ConfigSchema;
import io.presence.signaling.app.config.PresenceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Helm chart lints, renders, and hands the appliance a configuration it accepts (real helm via helm-java). */
class HelmChartTest {

    static final Path CHART = Path.of("..", "..", "helm", "presence");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POD_IP = "10.1.2.3";
    private static final String NODE_IP = "203.0.113.7";

    @TempDir
    Path dir;

    private List<JsonNode> render(String... sets) throws Exception {
        var template = new Helm(CHART).template().withName("demo").withNamespace("calls").withKubeVersion("v1.30.0");
        for (int i = 0; i < sets.length; i += 2) {
            template = template.set(sets[i], sets[i + 1]);
        }
        String manifests = template.call();
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(manifests)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).findFirst().orElseThrow(
                () -> new AssertionError("no " + kind));
    }

    private static JsonNode named(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())
                && name.equals(d.path("metadata").path("name").asText())).findFirst().orElseThrow(
                () -> new AssertionError("no " + kind + " " + name));
    }

    private static boolean has(List<JsonNode> docs, String kind) {
        return docs.stream().anyMatch(d -> kind.equals(d.path("kind").asText()));
    }

    private static JsonNode pod(List<JsonNode> docs) {
        return kind(docs, "Deployment").path("spec").path("template").path("spec");
    }

    private static JsonNode container(List<JsonNode> docs) {
        return pod(docs).path("containers").get(0);
    }

    /**
     * What the appliance reads in the pod: the rendered presence.yaml, and the container's environment with the
     * values Kubernetes would put in (pod and node IPs, the mounted secret files).
     */
    private PresenceConfig podConfig(List<JsonNode> docs) throws Exception {
        Path file = dir.resolve("presence.yaml");
        Files.writeString(file, kind(docs, "ConfigMap").path("data").path("presence.yaml").asText());
        Map<String, String> env = new HashMap<>();
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        JsonNode secret = docs.stream().filter(d -> "Secret".equals(d.path("kind").asText())).findFirst().orElse(null);
        for (JsonNode e : container(docs).path("env")) {
            String name = e.path("name").asText();
            if (name.equals("PRESENCE_CONFIG")) {
                continue;
            }
            String field = e.path("valueFrom").path("fieldRef").path("fieldPath").asText();
            String value = switch (field) {
                case "status.podIP" -> POD_IP;
                case "status.hostIP" -> NODE_IP;
                case "" -> e.path("value").asText();
                default -> throw new AssertionError("unexpected fieldRef " + field);
            };
            if (value.startsWith("/run/secrets/presence/")) {
                String key = value.substring("/run/secrets/presence/".length());
                Path f = secrets.resolve(key);
                Files.writeString(f, secret != null ? secret.path("stringData").path(key).asText()
                        : "from-an-existing-secret-" + key + "\n");
                value = f.toString();
            }
            env.put(name, value);
        }
        return PresenceConfig.load(file, env);
    }

    @Test
    void chartLintsStrictlyInEveryMode() throws Exception {
        lint(Map.of());
        for (String mode : List.of("hostPort", "nodePort", "loadBalancer")) {
            lint(Map.of("turn.exposure.mode", mode, "turn.exposure.externalIp", "198.51.100.20"));
        }
        lint(Map.of("metrics.serviceMonitor.enabled", true, "metrics.prometheusRule.enabled", true,
                "grafana.dashboards.enabled", true, "ingress.enabled", true, "ingress.host", "calls.example.org",
                "ingress.tls.certManager.clusterIssuer", "letsencrypt", "podDisruptionBudget.enabled", true,
                "secrets.existingSecret", "presence-secrets", "publicHost", "calls.example.org"));
        lint(Map.of("secrets.tokenKeys", List.of("token-key-of-thirty-two-bytes-0123456789"),
                "secrets.apiKeys", List.of("k3Jd9QxPz7Lw2VbN8mTr5YcH1sFgA6eU"), "api.enabled", true,
                "auth.friend.enabled", true, "auth.friend.url", "https://friend.example.org",
                "auth.friend.ca.secret", "friend-tls", "auth.guest.enabled", false, "invites.maxTtl", "7d",
                "server.trustedProxies", List.of("10.244.0.0/16")));
    }

    /** helm lint takes no values: a copy of the chart with them written into values.yaml. */
    private void lint(Map<String, Object> values) throws Exception {
        Path copy = dir.resolve("chart-" + Math.abs(values.hashCode())).resolve("presence");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(CHART.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        ObjectNode root = (ObjectNode) YAML.readTree(copy.resolve("values.yaml").toFile());
        for (Map.Entry<String, Object> v : values.entrySet()) {
            String[] path = v.getKey().split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < path.length - 1; i++) {
                node = (ObjectNode) node.get(path[i]);
            }
            node.set(path[path.length - 1], YAML.valueToTree(v.getValue()));
        }
        YAML.writeValue(copy.resolve("values.yaml").toFile(), root);
        LintResult result = new Helm(copy).lint().strict().call();
        assertFalse(result.isFailed(), values + ":\n" + String.join("\n", result.getMessages()));
    }

    @Test
    void renderedConfigurationIsAcceptedByTheAppliance() throws Exception {
        List<JsonNode> docs = render("publicHost", "turn.example.org", "config.turn.realm", "example.org",
                "terminationGracePeriodSeconds", "45");
        PresenceConfig config = podConfig(docs);
        assertEquals("turn.example.org", config.server().publicHost());
        assertEquals("example.org", config.turn().realm());
        assertEquals(Duration.ofSeconds(40), config.server().shutdownGrace(), "drain ends before the kill");
        assertEquals(45, pod(docs).path("terminationGracePeriodSeconds").asInt());
        assertEquals(POD_IP, config.metrics().bind().getHostString(), "probes reach the pod's admin port");
    }

    @Test
    void hostNetworkModeUsesTheNodesNetworkAndTheWholeRange() throws Exception {
        List<JsonNode> docs = render("publicHost", "turn.example.org");
        assertTrue(pod(docs).path("hostNetwork").asBoolean());
        assertEquals("ClusterFirstWithHostNet", pod(docs).path("dnsPolicy").asText());
        PresenceConfig config = podConfig(docs);
        assertEquals(49152, config.values().get(ConfigSchema.TURN_RELAY_PORT_MIN));
        assertEquals(65535, config.values().get(ConfigSchema.TURN_RELAY_PORT_MAX));
        assertEquals("", config.values().get(ConfigSchema.TURN_EXTERNAL_IPV4), "the node's own addresses");
        assertEquals("", config.values().get(ConfigSchema.TURN_RELAY_IPV4));
        assertTrue(docs.stream().noneMatch(d -> d.path("metadata").path("name").asText().endsWith("-turn")));

        List<JsonNode> natted = render("turn.exposure.externalIp", "198.51.100.20");
        assertEquals("198.51.100.20", podConfig(natted).values().get(ConfigSchema.TURN_EXTERNAL_IPV4),
                "a node behind 1:1 NAT advertises the public address");
    }

    @Test
    void hostPortModeMapsTheStunPortAndEveryRelayPortFromTheNode() throws Exception {
        List<JsonNode> docs = render("turn.exposure.mode", "hostPort", "turn.exposure.relayPortMin", "40000",
                "turn.exposure.relayPortMax", "40009");
        assertFalse(pod(docs).path("hostNetwork").asBoolean(true));
        PresenceConfig config = podConfig(docs);
        assertEquals(40000, config.values().get(ConfigSchema.TURN_RELAY_PORT_MIN));
        assertEquals(40009, config.values().get(ConfigSchema.TURN_RELAY_PORT_MAX));
        assertEquals(POD_IP, config.values().get(ConfigSchema.TURN_RELAY_IPV4));
        assertEquals(NODE_IP, config.values().get(ConfigSchema.TURN_EXTERNAL_IPV4), "relayed addresses name the node");
        Set<Integer> udpHostPorts = new TreeSet<>();
        for (JsonNode p : container(docs).path("ports")) {
            if (p.has("hostPort")) {
                assertEquals(p.path("containerPort").asInt(), p.path("hostPort").asInt(), "same number both sides");
                if ("UDP".equals(p.path("protocol").asText())) {
                    udpHostPorts.add(p.path("hostPort").asInt());
                }
            }
        }
        Set<Integer> expected = new TreeSet<>(Set.of(config.stun().bind().getPort()));
        for (int p = 40000; p <= 40009; p++) {
            expected.add(p);
        }
        assertEquals(expected, udpHostPorts);
        assertEquals(10 + 5, container(docs).path("ports").size(), "ws, tcp, stun udp+tcp, admin and ten relay ports");
    }

    @Test
    void nodePortModeExposesTheSamePortNumbersOnEveryNodeWithLocalTraffic() throws Exception {
        List<JsonNode> docs = render("turn.exposure.mode", "nodePort");
        PresenceConfig config = podConfig(docs);
        assertEquals(30478, config.stun().bind().getPort(), "the pod binds the node port the ICE URLs name");
        assertEquals(NODE_IP, config.values().get(ConfigSchema.TURN_EXTERNAL_IPV4));
        JsonNode turn = named(docs, "Service", "demo-presence-turn").path("spec");
        assertEquals("NodePort", turn.path("type").asText());
        assertEquals("Local", turn.path("externalTrafficPolicy").asText(), "client and peer addresses survive");
        Set<Integer> udp = new TreeSet<>();
        for (JsonNode p : turn.path("ports")) {
            assertEquals(p.path("port").asInt(), p.path("nodePort").asInt());
            assertEquals(p.path("port").asInt(), p.path("targetPort").asInt());
            if ("UDP".equals(p.path("protocol").asText())) {
                udp.add(p.path("nodePort").asInt());
            }
        }
        int min = config.values().get(ConfigSchema.TURN_RELAY_PORT_MIN);
        int max = config.values().get(ConfigSchema.TURN_RELAY_PORT_MAX);
        assertTrue(min >= 30000 && max <= 32767, min + "-" + max);
        assertEquals(max - min + 2, udp.size(), "the STUN port and every relay port");
        assertTrue(udp.contains(min) && udp.contains(max) && udp.contains(30478));

        Exception outside = assertThrows(Exception.class, () -> render("turn.exposure.mode", "nodePort",
                "turn.exposure.relayPortMin", "49152", "turn.exposure.relayPortMax", "49200"));
        assertTrue(outside.getMessage().contains("node-port range"), outside.getMessage());
    }

    @Test
    void loadBalancerModeAdvertisesTheBalancersAddressAndCarriesItsAnnotations() throws Exception {
        List<JsonNode> docs = render("turn.exposure.mode", "loadBalancer", "turn.exposure.externalIp", "198.51.100.20",
                "turn.exposure.loadBalancer.annotations.service\\.beta\\.kubernetes\\.io/aws-load-balancer-type", "nlb");
        PresenceConfig config = podConfig(docs);
        assertEquals("198.51.100.20", config.values().get(ConfigSchema.TURN_EXTERNAL_IPV4));
        assertEquals(POD_IP, config.values().get(ConfigSchema.TURN_RELAY_IPV4));
        JsonNode turn = named(docs, "Service", "demo-presence-turn");
        assertEquals("LoadBalancer", turn.path("spec").path("type").asText());
        assertEquals("Local", turn.path("spec").path("externalTrafficPolicy").asText());
        assertEquals("nlb", turn.path("metadata").path("annotations")
                .path("service.beta.kubernetes.io/aws-load-balancer-type").asText());
        int relayPorts = config.values().get(ConfigSchema.TURN_RELAY_PORT_MAX)
                - config.values().get(ConfigSchema.TURN_RELAY_PORT_MIN) + 1;
        assertEquals(relayPorts + 2, turn.path("spec").path("ports").size());
        turn.path("spec").path("ports").forEach(p -> assertFalse(p.has("nodePort")));

        Exception noAddress = assertThrows(Exception.class, () -> render("turn.exposure.mode", "loadBalancer"));
        assertTrue(noAddress.getMessage().contains("turn.exposure.externalIp is required"), noAddress.getMessage());
        Exception badMode = assertThrows(Exception.class, () -> render("turn.exposure.mode", "hostnetwork"));
        assertTrue(badMode.getMessage().contains("must be hostNetwork, hostPort, nodePort or loadBalancer"),
                badMode.getMessage());
        Exception tooMany = assertThrows(Exception.class, () -> render("turn.exposure.mode", "loadBalancer",
                "turn.exposure.externalIp", "198.51.100.20", "turn.exposure.relayPortMax", "65535"));
        assertTrue(tooMany.getMessage().contains("keep it to 1000 or fewer"), tooMany.getMessage());
    }

    @Test
    void withoutSecretsTheApplianceGeneratesItsOwn() throws Exception {
        List<JsonNode> docs = render();
        assertFalse(has(docs, "Secret"));
        assertFalse(kind(docs, "Deployment").toString().contains("_FILE"));
        assertEquals(List.of(), podConfig(docs).turn().secrets());
    }

    @Test
    void existingSecretIsMountedAndNamedAsTheSecretFiles() throws Exception {
        List<JsonNode> docs = render("secrets.existingSecret", "my-secrets");
        assertFalse(has(docs, "Secret"), "the chart does not create one");
        List<String> env = new ArrayList<>();
        container(docs).path("env").forEach(e -> env.add(e.path("name").asText()));
        assertTrue(env.contains("PRESENCE_TURN_SECRETS_FILE"), env.toString());
        boolean found = false;
        for (JsonNode v : pod(docs).path("volumes")) {
            found |= "my-secrets".equals(v.path("secret").path("secretName").asText());
        }
        assertTrue(found, pod(docs).path("volumes").toString());
        PresenceConfig config = podConfig(docs);
        assertEquals(1, config.turn().secrets().size());

        List<JsonNode> generated = render("secrets.existingSecret", "my-secrets",
                "secrets.existingSecretKeys.turnSecrets", "");
        assertFalse(kind(generated, "Deployment").toString().contains("PRESENCE_TURN_SECRETS_FILE"));
    }

    @Test
    void storageDefaultsToTheEmbeddedDatabaseInTheDataDirectory() throws Exception {
        List<JsonNode> docs = render();
        var storage = io.presence.signaling.app.config.ModuleSettings.storage(podConfig(docs));
        assertTrue(storage.embedded(), storage.toString());
        assertEquals(Path.of("/var/lib/presence"), storage.dataDir());
        assertEquals(4, storage.poolSize());
        assertFalse(kind(docs, "Deployment").toString().contains("PRESENCE_STORAGE_PASSWORD_FILE"));
    }

    @Test
    void aMysqlDatabaseTakesItsPasswordFromASecretFile() throws Exception {
        List<JsonNode> docs = render("storage.url", "jdbc:mysql://db.example:3306/presence", "storage.user",
                "presence", "storage.poolSize", "8", "secrets.storagePassword", "db-password-0123456789");
        assertFalse(kind(docs, "ConfigMap").toString().contains("db-password"), "the password stays out of the ConfigMap");
        assertEquals("db-password-0123456789", kind(docs, "Secret").path("stringData").path("storage-password").asText());
        var storage = io.presence.signaling.app.config.ModuleSettings.storage(podConfig(docs));
        assertEquals("jdbc:mysql://db.example:3306/presence", storage.jdbcUrl());
        assertEquals("presence", storage.user());
        assertEquals("db-password-0123456789", storage.password());
        assertEquals(8, storage.poolSize());

        List<JsonNode> existing = render("storage.url", "jdbc:mysql://db.example:3306/presence",
                "secrets.existingSecret", "my-secrets", "secrets.existingSecretKeys.storagePassword", "db-pass");
        assertFalse(has(existing, "Secret"), "the chart does not create one");
        assertEquals("from-an-existing-secret-db-pass",
                io.presence.signaling.app.config.ModuleSettings.storage(podConfig(existing)).password());
    }

    @Test
    void secretValuesGoIntoAChartSecretTheApplianceReads() throws Exception {
        List<JsonNode> docs = render("secrets.turnSecrets[0]", "first-turn-secret-0123456789",
                "secrets.turnSecrets[1]", "older-turn-secret-0123456789");
        JsonNode secret = kind(docs, "Secret");
        assertEquals("demo-presence", secret.path("metadata").path("name").asText());
        assertFalse(kind(docs, "ConfigMap").toString().contains("first-turn-secret"), "secrets stay out of the ConfigMap");
        PresenceConfig config = podConfig(docs);
        assertEquals(2, config.turn().secrets().size());
        assertEquals("first-turn-secret-0123456789", config.turn().secrets().get(0).reveal(), "the first one mints");
        assertTrue(kind(docs, "Deployment").path("spec").path("template").path("metadata").path("annotations")
                .has("checksum/secret"), "a changed secret restarts the pod");
    }

    private static Map<String, String> fileVariables(List<JsonNode> docs) {
        Map<String, String> files = new HashMap<>();
        container(docs).path("env").forEach(e -> {
            if (e.path("name").asText().endsWith("_FILE")) {
                files.put(e.path("name").asText(), e.path("value").asText());
            }
        });
        return files;
    }

    @Test
    void tokenAndApiKeysGoIntoTheChartSecretAsFilesTheApplianceReads() throws Exception {
        String tokenKey = "token-key-of-thirty-two-bytes-0123456789";
        String apiKey = "k3Jd9QxPz7Lw2VbN8mTr5YcH1sFgA6eU";
        List<JsonNode> docs = render("secrets.tokenKeys[0]", tokenKey, "secrets.tokenKeys[1]", "older-" + tokenKey,
                "secrets.apiKeys[0]", apiKey, "api.enabled", "true");
        JsonNode secret = kind(docs, "Secret");
        assertTrue(secret.path("stringData").has("token-keys") && secret.path("stringData").has("api-keys"),
                secret.toString());
        assertFalse(kind(docs, "ConfigMap").toString().contains(tokenKey), "keys stay out of the ConfigMap");
        assertFalse(kind(docs, "ConfigMap").toString().contains(apiKey), "keys stay out of the ConfigMap");
        assertEquals(Map.of("PRESENCE_SIGNALING_TOKEN_KEYS_FILE", "/run/secrets/presence/token-keys",
                "PRESENCE_API_KEYS_FILE", "/run/secrets/presence/api-keys"), fileVariables(docs));
        PresenceConfig config = podConfig(docs);
        List<String> keys = new ArrayList<>();
        io.presence.signaling.app.config.SignInConfig.tokenKeys(config).forEach(k -> keys.add(k.reveal()));
        assertEquals(List.of(tokenKey, "older-" + tokenKey), keys, "the first signs, all verify");
        var api = io.presence.signaling.app.config.ApiConfig.settings(config).orElseThrow();
        assertEquals(List.of(apiKey), api.keys());

        List<JsonNode> existing = render("secrets.existingSecret", "my-secrets",
                "secrets.existingSecretKeys.tokenKeys", "token-keys", "secrets.existingSecretKeys.apiKeys", "api-keys");
        assertFalse(has(existing, "Secret"), "the chart does not create one");
        assertEquals(Map.of("PRESENCE_TURN_SECRETS_FILE", "/run/secrets/presence/turn-secrets",
                "PRESENCE_SIGNALING_TOKEN_KEYS_FILE", "/run/secrets/presence/token-keys",
                "PRESENCE_API_KEYS_FILE", "/run/secrets/presence/api-keys"), fileVariables(existing));
        assertEquals("from-an-existing-secret-token-keys",
                io.presence.signaling.app.config.SignInConfig.tokenKeys(podConfig(existing)).get(0).reveal());

        assertFalse(kind(render(), "Deployment").toString().contains("TOKEN_KEYS"),
                "no keys given: the appliance generates its token key in the data directory");
        Exception noKeys = assertThrows(Exception.class, () -> render("api.enabled", "true"));
        assertTrue(noKeys.getMessage().contains("api.enabled needs API keys"), noKeys.getMessage());
    }

    @Test
    void signInInvitesAndTrustedProxiesReachTheApplianceConfiguration() throws Exception {
        List<JsonNode> docs = render("auth.guest.enabled", "false", "auth.friend.enabled", "true",
                "auth.friend.url", "https://friend.example.org", "auth.friend.ca.configMap", "friend-ca",
                "invites.defaultTtl", "2h", "invites.maxTtl", "7d", "server.trustedProxies[0]", "10.244.0.0/16");
        PresenceConfig config = podConfig(docs);
        assertFalse(io.presence.signaling.app.config.InviteConfig.guestsEnabled(config));
        var friend = io.presence.signaling.app.config.SignInConfig.friend(config).orElseThrow();
        assertEquals("https://friend.example.org", friend.url().toString());
        assertEquals(Path.of("/etc/presence-friend-ca/ca.crt"), friend.caFile());
        boolean mounted = false;
        for (JsonNode m : container(docs).path("volumeMounts")) {
            mounted |= "friend-ca".equals(m.path("name").asText())
                    && "/etc/presence-friend-ca".equals(m.path("mountPath").asText());
        }
        assertTrue(mounted, container(docs).path("volumeMounts").toString());
        boolean fromConfigMap = false;
        for (JsonNode v : pod(docs).path("volumes")) {
            fromConfigMap |= "friend-ca".equals(v.path("name").asText())
                    && "friend-ca".equals(v.path("configMap").path("name").asText());
        }
        assertTrue(fromConfigMap, pod(docs).path("volumes").toString());
        var invites = io.presence.signaling.app.config.InviteConfig.invites(config);
        assertEquals(Duration.ofHours(2), invites.defaultTtl());
        assertEquals(Duration.ofDays(7), invites.maxTtl());
        var proxies = io.presence.signaling.app.config.SignInConfig.trustedProxies(config);
        assertTrue(proxies.isTrusted(java.net.InetAddress.getByName("10.244.3.7")), "an ingress controller pod");
        assertFalse(proxies.isTrusted(java.net.InetAddress.getByName("203.0.113.9")), "a client");

        List<JsonNode> fromSecret = render("auth.friend.enabled", "true", "auth.friend.url",
                "https://friend.example.org", "auth.friend.ca.secret", "friend-tls", "auth.friend.ca.key", "ca.pem");
        assertEquals(Path.of("/etc/presence-friend-ca/ca.pem"),
                io.presence.signaling.app.config.SignInConfig.friend(podConfig(fromSecret)).orElseThrow().caFile());

        PresenceConfig defaults = podConfig(render());
        assertTrue(io.presence.signaling.app.config.InviteConfig.guestsEnabled(defaults));
        assertTrue(io.presence.signaling.app.config.SignInConfig.friend(defaults).isEmpty());
        assertTrue(io.presence.signaling.app.config.SignInConfig.trustedProxies(defaults).isEmpty());
        assertTrue(io.presence.signaling.app.config.ApiConfig.settings(defaults).isEmpty());
        Exception noUrl = assertThrows(Exception.class, () -> render("auth.friend.enabled", "true"));
        assertTrue(noUrl.getMessage().contains("auth.friend.url is required"), noUrl.getMessage());
    }

    /** What `helm install` prints after the release: the rendered NOTES.txt (a client-only dry run). */
    private static String notes(String... sets) throws Exception {
        var install = new Helm(CHART).install().withName("demo").withNamespace("calls").withKubeVersion("v1.30.0")
                .clientOnly().dryRun();
        for (int i = 0; i < sets.length; i += 2) {
            install = install.set(sets[i], sets[i + 1]);
        }
        return install.call().getOutput();
    }

    @Test
    void notesWarnWhenSignInTokensWouldNotOutliveThePod() throws Exception {
        String warning = "WARNING: no secrets.tokenKeys and no persistence";
        String bare = notes();
        assertTrue(bare.contains("5. Sign-in"), bare);
        assertTrue(bare.contains(warning), bare);
        assertFalse(notes("persistence.enabled", "true").contains(warning), "the generated key stays on the volume");
        assertFalse(notes("secrets.tokenKeys[0]", "token-key-of-thirty-two-bytes-0123456789").contains(warning));
        assertFalse(notes("secrets.existingSecret", "my-secrets", "secrets.existingSecretKeys.tokenKeys", "token-keys")
                .contains(warning));
        assertTrue(notes("secrets.existingSecret", "my-secrets").contains(warning),
                "an existing Secret without a token-keys entry leaves the key generated in the pod");
        assertTrue(notes("ingress.enabled", "true", "ingress.host", "calls.example.org")
                .contains("set server.trustedProxies"));
    }

    @Test
    void deploymentProbesAdminEndpointsAndAvoidsServiceLinkVariables() throws Exception {
        List<JsonNode> docs = render();
        assertFalse(pod(docs).path("enableServiceLinks").asBoolean(true));
        JsonNode container = container(docs);
        assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/healthz", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals(30, pod(docs).path("terminationGracePeriodSeconds").asInt(), "default grace is 30 s");
        assertEquals(10001, pod(docs).path("securityContext").path("runAsUser").asInt(), "the image's user");
        boolean adminOnPodIp = false;
        for (JsonNode e : container.path("env")) {
            adminOnPodIp |= "PRESENCE_METRICS_HOST".equals(e.path("name").asText())
                    && "status.podIP".equals(e.path("valueFrom").path("fieldRef").path("fieldPath").asText());
        }
        assertTrue(adminOnPodIp, "the admin listener binds the pod IP, not every interface of a host-network node");
        JsonNode publicService = named(docs, "Service", "demo-presence");
        publicService.path("spec").path("ports").forEach(p -> assertFalse("admin".equals(p.path("name").asText())));
    }

    @Test
    void monitoringIsOffByDefaultAndOnWithTheOperatorsLabels() throws Exception {
        List<JsonNode> off = render();
        assertFalse(has(off, "ServiceMonitor") || has(off, "PrometheusRule") || has(off, "PodDisruptionBudget"));
        assertTrue(off.stream().noneMatch(d -> d.path("metadata").path("name").asText().endsWith("-dashboards")));

        List<JsonNode> on = render("metrics.serviceMonitor.enabled", "true", "metrics.prometheusRule.enabled", "true",
                "metrics.serviceMonitor.release", "monitoring", "grafana.dashboards.enabled", "true");
        JsonNode monitor = kind(on, "ServiceMonitor");
        assertEquals("monitoring", monitor.path("metadata").path("labels").path("release").asText());
        JsonNode admin = named(on, "Service", "demo-presence-admin");
        monitor.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(l ->
                assertEquals(l.getValue().asText(), admin.path("metadata").path("labels").path(l.getKey()).asText(),
                        "the ServiceMonitor selects the admin Service"));
        assertEquals("admin", monitor.path("spec").path("endpoints").get(0).path("port").asText());

        JsonNode rule = kind(on, "PrometheusRule");
        assertEquals("monitoring", rule.path("metadata").path("labels").path("release").asText());
        assertEquals(MonitoringFiles.rules().path("groups"), rule.path("spec").path("groups"),
                "the same rules as metrics/monitoring");

        JsonNode dashboards = named(on, "ConfigMap", "demo-presence-dashboards");
        assertEquals("1", dashboards.path("metadata").path("labels").path("grafana_dashboard").asText());
        Set<String> keys = new TreeSet<>();
        dashboards.path("data").fieldNames().forEachRemaining(keys::add);
        Set<String> files = new TreeSet<>();
        for (Map.Entry<Path, JsonNode> board : MonitoringFiles.dashboards().entrySet()) {
            String name = board.getKey().getFileName().toString();
            files.add(name);
            assertEquals(board.getValue(), JSON.readTree(dashboards.path("data").path(name).asText()), name);
        }
        assertEquals(files, keys);
    }

    /** helm reads nothing outside the chart: its copies must stay byte-equal to metrics/monitoring. */
    @Test
    void chartCopiesOfTheRulesAndDashboardsEqualTheirSources() throws Exception {
        assertArrayEquals(Files.readAllBytes(MonitoringFiles.RULES),
                Files.readAllBytes(CHART.resolve("files").resolve("presence-alerts.yaml")),
                "cp metrics/monitoring/prometheus/presence-alerts.yaml helm/presence/files/");
        Set<String> copies = new TreeSet<>();
        try (Stream<Path> s = Files.list(CHART.resolve("files").resolve("dashboards"))) {
            s.forEach(p -> copies.add(p.getFileName().toString()));
        }
        Set<String> sources = new TreeSet<>();
        for (Path board : MonitoringFiles.dashboards().keySet()) {
            sources.add(board.getFileName().toString());
            assertArrayEquals(Files.readAllBytes(board),
                    Files.readAllBytes(CHART.resolve("files").resolve("dashboards").resolve(board.getFileName())),
                    "cp metrics/monitoring/grafana/dashboards/*.json helm/presence/files/dashboards/");
        }
        assertEquals(sources, copies);
    }

    @ParameterizedTest(name = "TLS from {0}")
    @ValueSource(strings = {"secret", "cert-manager"})
    void ingressCarriesTheWebSocketPathWithTls(String tlsFrom) throws Exception {
        List<JsonNode> docs = "secret".equals(tlsFrom)
                ? render("ingress.enabled", "true", "ingress.host", "calls.example.org", "ingress.tls.secretName", "calls-tls")
                : render("ingress.enabled", "true", "ingress.host", "calls.example.org",
                        "ingress.tls.certManager.clusterIssuer", "letsencrypt");
        JsonNode ingress = kind(docs, "Ingress");
        JsonNode tls = ingress.path("spec").path("tls").get(0);
        assertEquals("calls.example.org", tls.path("hosts").get(0).asText());
        JsonNode annotations = ingress.path("metadata").path("annotations");
        if ("secret".equals(tlsFrom)) {
            assertEquals("calls-tls", tls.path("secretName").asText());
            assertFalse(annotations.has("cert-manager.io/cluster-issuer"));
        } else {
            assertEquals("demo-presence-tls", tls.path("secretName").asText(), "cert-manager fills this Secret");
            assertEquals("letsencrypt", annotations.path("cert-manager.io/cluster-issuer").asText());
        }
        assertEquals("3600", annotations.path("nginx.ingress.kubernetes.io/proxy-read-timeout").asText());
        assertEquals("/ws", annotations.path("projectcontour.io/websocket-routes").asText());
        JsonNode backend = ingress.path("spec").path("rules").get(0).path("http").path("paths").get(0).path("backend");
        assertEquals("demo-presence", backend.path("service").path("name").asText());
        assertEquals("ws", backend.path("service").path("port").path("name").asText());
        assertFalse(has(render(), "Ingress"));
    }

    @Test
    void podDisruptionBudgetHoldsVoluntaryEvictionsWhenEnabled() throws Exception {
        List<JsonNode> docs = render("podDisruptionBudget.enabled", "true");
        JsonNode pdb = kind(docs, "PodDisruptionBudget");
        assertEquals(0, pdb.path("spec").path("maxUnavailable").asInt(-1));
        JsonNode podLabels = kind(docs, "Deployment").path("spec").path("template").path("metadata").path("labels");
        pdb.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(l ->
                assertEquals(l.getValue().asText(), podLabels.path(l.getKey()).asText()));
    }

    @Test
    void chartMetadataHasNoPlaceholder() throws Exception {
        JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
        assertFalse(chart.toString().contains("github.com/presence\""), "placeholder home");
        assertTrue(Files.readString(CHART.resolve("templates").resolve("NOTES.txt")).contains("turnutils_stunclient"));
    }
}
