package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.presence.signaling.app.config.PresenceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Helm chart lints, renders, and hands the appliance a configuration it accepts (real helm via helm-java). */
class HelmChartTest {

    static final Path CHART = Path.of("..", "helm", "presence");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    @Test
    void chartLintsStrictly() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    private List<JsonNode> render(String... sets) throws Exception {
        var template = new Helm(CHART).template().withName("demo").withNamespace("calls");
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

    @Test
    void renderedConfigurationIsAcceptedByTheAppliance() throws Exception {
        List<JsonNode> docs = render("publicHost", "turn.example.org", "config.turn.realm", "example.org",
                "terminationGracePeriodSeconds", "45");
        String presenceYaml = kind(docs, "ConfigMap").path("data").path("presence.yaml").asText();
        Path file = dir.resolve("presence.yaml");
        Files.writeString(file, presenceYaml);
        Path secret = dir.resolve("turn-secrets");
        Files.writeString(secret, "s3cret\n");
        PresenceConfig config = PresenceConfig.load(file, Map.of("PRESENCE_TURN_SECRETS_FILE", secret.toString()));
        assertEquals("turn.example.org", config.server().publicHost());
        assertEquals("example.org", config.turn().realm());
        assertEquals(Duration.ofSeconds(40), config.server().shutdownGrace(), "drain ends before the kill");
        assertEquals("0.0.0.0", config.metrics().bind().getHostString(), "probes reach the pod's admin port");
    }

    @Test
    void withoutAnExistingSecretTheApplianceGeneratesItsOwn() throws Exception {
        List<JsonNode> docs = render();
        assertTrue(docs.stream().noneMatch(d -> "Secret".equals(d.path("kind").asText())));
        assertFalse(kind(docs, "Deployment").toString().contains("PRESENCE_TURN_SECRETS_FILE"));
    }

    @Test
    void deploymentProbesAdminEndpointsAndAvoidsServiceLinkVariables() throws Exception {
        List<JsonNode> docs = render();
        JsonNode pod = kind(docs, "Deployment").path("spec").path("template").path("spec");
        assertFalse(pod.path("enableServiceLinks").asBoolean(true));
        JsonNode container = pod.path("containers").get(0);
        assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/healthz", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals(45, pod.path("terminationGracePeriodSeconds").asInt(0) + 15, "default grace is 30 s");
        boolean adminOnPodIp = false;
        for (JsonNode e : container.path("env")) {
            adminOnPodIp |= "PRESENCE_METRICS_HOST".equals(e.path("name").asText())
                    && "status.podIP".equals(e.path("valueFrom").path("fieldRef").path("fieldPath").asText());
        }
        assertTrue(adminOnPodIp, "the admin listener binds the pod IP, not every interface of a host-network node");
        // The public service does not carry the admin port.
        JsonNode publicService = docs.stream().filter(d -> "Service".equals(d.path("kind").asText())
                && !d.path("metadata").path("name").asText().endsWith("-admin")).findFirst().orElseThrow();
        publicService.path("spec").path("ports").forEach(p -> assertFalse("admin".equals(p.path("name").asText())));
    }

    @Test
    void existingSecretIsMountedAndNamedAsTheSecretsFile() throws Exception {
        List<JsonNode> docs = render("turn.existingSecret", "my-turn");
        JsonNode container = kind(docs, "Deployment").path("spec").path("template").path("spec")
                .path("containers").get(0);
        List<String> env = new ArrayList<>();
        container.path("env").forEach(e -> env.add(e.path("name").asText()));
        assertTrue(env.contains("PRESENCE_TURN_SECRETS_FILE"), env.toString());
        JsonNode volumes = kind(docs, "Deployment").path("spec").path("template").path("spec").path("volumes");
        boolean found = false;
        for (JsonNode v : volumes) {
            found |= "my-turn".equals(v.path("secret").path("secretName").asText());
        }
        assertTrue(found, volumes.toString());
    }
}
