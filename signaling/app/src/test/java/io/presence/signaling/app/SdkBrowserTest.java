package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.signaling.protocol.AvatarPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JavaScript SDK and its widgets in real Chromium against a running appliance: two isolated browser contexts
 * open the example page (/sdk/example.html), sign in with the development provider, meet in one room and chat
 * both ways through {@code <presence-chat>} (also across a dropped socket); one of them is named, and writes, an
 * HTML injection; the room, named, appears in both room lists with b's unread count going up and back to 0. The driver
 * (signaling/app/src/test/node/sdk-e2e.mjs) reports every console error, page error, dialog and CSP violation,
 * and the test fails on any. Skipped without chromium, node or playwright-core unless PRESENCE_E2E=required.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkBrowserTest {
    static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @TempDir
    static Path data;
    Appliance appliance;
    String baseUrl;
    Path node;

    @BeforeAll
    void start() throws Exception {
        node = BrowserE2e.requireTools();
        Map<String, String> env = BrowserE2e.loopbackCallEnv(data);
        env.put("PRESENCE_SIGNALING_DEV_AUTH", "true");
        appliance = new Appliance(io.presence.signaling.app.config.PresenceConfig.load(null, env),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        appliance.start();
        baseUrl = "http://127.0.0.1:" + appliance.webSocketAddress().getPort();
    }

    @AfterAll
    void stop() {
        if (appliance != null) {
            appliance.stop();
        }
    }

    @Test
    void twoPagesChatThroughTheWidgetsAndHostileTextStaysText() throws Exception {
        JsonNode r = run("chat");
        assertEquals(0, r.get("problems").size(), "console errors, page errors, dialogs: " + r.get("problems"));
        assertEquals(r.get("roomId").asText(), r.get("roomB").asText(), "both pages in one room");
        assertTrue(r.get("typingSeen").asText().contains("Bob is typing"), r.get("typingSeen").asText());
        assertEquals("[\"reconnecting\",\"connected\"]", r.get("resumeStates").toString(),
                "the dropped socket resumed the session");
        for (String side : List.of("a", "b")) {
            JsonNode chat = r.get(side).get("chat");
            JsonNode widgets = r.get(side).get("widgets");
            assertEquals(0, widgets.get("csp").size(), side + " CSP violations: " + widgets.get("csp"));
            assertEquals(0, chat.get("imgs").asInt(), side + ": no element was made of the text: " + chat);
            for (JsonNode tag : chat.get("elements")) {
                assertTrue(List.of("span", "a", "button", "div").contains(tag.asText()), side + " made " + tag);
            }
            JsonNode rows = chat.get("rows");
            assertEquals(5, rows.size(), side + ": " + rows);
            assertEquals("after the drop", rows.get(2).get("text").asText(), "sent across the resume, once: " + rows);
            JsonNode first = rows.get(0);
            assertEquals(HOSTILE, first.get("name").asText(), "the hostile display name is shown as text");
            assertEquals(HOSTILE + " (fixed)", first.get("text").asText(), "the hostile message, edited, as text");
            assertEquals(side.equals("a"), first.get("own").asBoolean(), "only the sender may edit: " + first);
            JsonNode second = rows.get(1);
            assertEquals("Bob", second.get("name").asText());
            assertEquals("see https://example.org/plots?a=1. thanks", second.get("text").asText());
            JsonNode link = second.get("links");
            assertEquals(1, link.size(), second.toString());
            assertEquals("https://example.org/plots?a=1", link.get(0).get("href").asText());
            assertEquals("noopener noreferrer", link.get(0).get("rel").asText());
            assertEquals("_blank", link.get(0).get("target").asText());

            assertTrue(widgets.get("roomsRendered").asBoolean(), side + ": <presence-rooms> rendered");
            assertTrue(widgets.get("callButtons").toString().contains("Join call"), widgets.toString());
            assertEquals("#3b7d3a", widgets.get("accent").asText(), "the host page's theme reaches the widgets");
            assertEquals(0, widgets.get("bodyImgs").asInt(), "the page itself gained no image");
        }
        JsonNode before = r.get("roomsBefore");
        assertEquals(1, before.size(), before.toString());
        assertEquals(HOSTILE + " room", before.get(0).get("name").asText(), "a room's name is text too");
        assertEquals("2", before.get(0).get("unread").asText(), "two unread while b looked away: " + before);
        JsonNode after = r.get("roomsAfter").get(0);
        assertEquals("0", after.get("unread").asText(), "read once b opened it: " + after);
        assertEquals("true", after.get("current").asText(), after.toString());
        String annId = AvatarPath.idOf("dev:" + HOSTILE);
        assertTrue(r.get("avatarRequests").toString().contains("\"a " + baseUrl + "/avatar/user/" + annId
                + ".png?size=32\""), "the avatar of the user id, from this appliance: " + r.get("avatarRequests"));
        // The appliance serves the avatar (a load failure would be a console error): the widget shows the image.
        JsonNode aw = r.get("a").get("widgets");
        assertTrue(aw.get("avatarSrc").asText().startsWith(baseUrl + "/avatar/user/"), aw.toString());
    }

    /**
     * The SDK's Call through {@code <presence-call>} in a relay-only room (the example creates one): video both
     * ways, the peer's tile plays sound and the preview does not, Mute is shown pressed, the mode line says
     * relay only, and a peer's tile goes when it leaves.
     */
    @Test
    void callWidgetConnectsBothWaysAndRemovesTheTileOfAPeerThatLeft() throws Exception {
        JsonNode r = run("call");
        assertEquals(0, r.get("problems").size(), "console errors, page errors, dialogs: " + r.get("problems"));
        for (String side : List.of("a", "b")) {
            JsonNode view = r.get(side);
            assertEquals(0, view.get("csp").size(), side + " CSP violations: " + view.get("csp"));
            assertEquals(2, view.get("tiles").size(), side + ": " + view);
            for (JsonNode tile : view.get("tiles")) {
                boolean self = tile.get("member").asText().equals("self");
                assertEquals(self, tile.get("muted").asBoolean(), "only the preview is muted: " + tile);
                assertTrue(tile.get("width").asInt() > 0, "video plays: " + tile);
                if (!self) {
                    assertTrue(tile.get("audio").asInt() >= 1, "the peer's sound: " + tile);
                    assertEquals(side.equals("a") ? "Bob" : "Ann", tile.get("label").asText());
                }
            }
            assertTrue(view.get("mode").asText().startsWith("relay only"), view.get("mode").asText());
        }
        assertTrue(r.get("a").get("buttons").toString().contains("{\"text\":\"Unmute\",\"pressed\":\"true\"}"),
                r.get("a").get("buttons").toString());
        JsonNode after = r.get("aAfterLeave");
        assertEquals(1, after.get("tiles").size(), after.toString());
        assertEquals("self", after.get("tiles").get(0).get("member").asText());
    }

    private JsonNode run(String scenario) throws Exception {
        Path out = Files.createTempFile(data, "sdk-e2e-" + scenario, ".json");
        Path err = Files.createTempFile(data, "sdk-e2e-" + scenario, ".err");
        Process p = new ProcessBuilder(node.toString(), "sdk-e2e.mjs", baseUrl, scenario, HOSTILE)
                .directory(BrowserE2e.NODE_PROJECT.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(70, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("sdk e2e driver did not finish: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), "sdk e2e driver failed:\n" + Files.readString(err));
        return new ObjectMapper().readTree(Files.readString(out));
    }
}
