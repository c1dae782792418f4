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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A running appliance's /metrics passes promtool and the naming rules of metrics/README.md. */
class PrometheusExpositionTest {

    @TempDir
    Path data;

    private String scrape() throws Exception {
        try (Appliance a = new Appliance(TestConfigs.ephemeral(data),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            a.start();
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + a.adminAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        Path promtool = ExternalTools.require("promtool");
        String text = scrape();
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String verdict = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), verdict);
    }

    @Test
    void everyMeterHasARealDescription() throws Exception {
        for (String line : scrape().split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.split(" ", 4);
                assertTrue(parts.length == 4 && !parts[3].isBlank(), "no description: " + line);
                assertFalse(parts[3].equals(parts[2]), "description is just the name: " + line);
            }
        }
    }

    @Test
    void everyExportedFamilyIsDocumentedInTheMetricsReadme() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("..", "..", "metrics", "README.md"));
        for (String line : scrape().split("\n")) {
            if (line.startsWith("# HELP ")) {
                String name = line.split(" ")[2];
                // Micrometer exports each histogram's maximum as its own gauge family, <name>_max.
                String listed = name.endsWith("_max") && readme.contains("`" + name.substring(0, name.length() - 4)
                        + "`") ? name.substring(0, name.length() - 4) : name;
                assertTrue(readme.contains("`" + listed + "`"), name + " is not listed in metrics/README.md");
            }
        }
    }

    @Test
    void readinessAndBuildAreExported() throws Exception {
        String text = scrape();
        assertTrue(text.contains("presence_ready 1.0"), text);
        assertTrue(text.matches("(?s).*presence_build_info\\{version=\"[^\"]+\"} 1(\\.0)?\n.*"), text);
    }
}
