package io.presence.signaling.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.runtime.TimeSource;
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
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web client in real Chromium, as two people use it (signaling/app/src/test/node/client-e2e.mjs drives them
 * and reports what the pages showed): a user signed in with a token this test mints creates and names a room and
 * invites a guest by link; the guest joins under a hostile name; they chat, reply, see each other typing; the
 * guest reloads and sees the history; they call with fake media; the guest's network drops mid-chat and comes
 * back; the owner invites the second signed-in user by user id in the Invite dialog, and he accepts it from his
 * Invitations. Any console error or CSP violation fails it. Screenshots of the main screens at desktop and phone sizes
 * go to target/screenshots/. Needs chromium, node and {@code npm ci --prefix signaling/app/src/test/node};
 * skipped when they are absent unless PRESENCE_E2E=required (CI), where it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientBrowserTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>";

    @TempDir
    static Path data;
    Appliance appliance;
    PresenceConfig config;
    String baseUrl;
    Path node;

    @BeforeAll
    void start() throws Exception {
        node = BrowserE2e.requireTools();
        Map<String, String> env = BrowserE2e.loopbackCallEnv(data);
        config = PresenceConfig.load(null, env);
        appliance = new Appliance(config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
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
    void ownerInvitesGuestTheyChatReloadCallAndSurviveANetworkDrop() throws Exception {
        var minter = TokenSignIn.open(config, DataDirectory.open(data)).orElseThrow().minter(config, TimeSource.SYSTEM);
        JsonNode r = run(minter.mint("ann", "Ann", Duration.ofHours(1), null, false),
                minter.mint("bob", "Bob", Duration.ofHours(1), null, false));

        assertEquals(0, r.get("problems").size(), "console errors, page errors or CSP violations: " + r.get("problems"));
        JsonNode forms = r.get("signinForms");
        assertTrue(forms.get("token").asBoolean(), "tokens are on: " + forms);
        assertFalse(forms.get("dev").asBoolean(), "no developer sign-in on a server without it: " + forms);
        assertFalse(forms.get("friend").asBoolean(), "no Friend sign-in configured: " + forms);
        assertFalse(r.get("annUrlAfterSignIn").asText().contains("token"), "the token left the address bar");
        assertTrue(r.get("inviteShown").asText().contains("/join/"), r.get("inviteShown").asText());
        assertEquals("Design review", r.get("guestRoomTitle").asText());

        // Hostile names and messages are text: nothing injected, nothing ran.
        for (String side : List.of("annInjected", "guestInjected")) {
            JsonNode i = r.get(side);
            assertEquals(0, i.get("imgs").asInt(), side + ": " + i);
            assertEquals(0, i.get("scripts").asInt(), side + ": " + i);
            assertEquals(0, i.get("alerts").asInt(), side + ": " + i);
        }
        JsonNode guestsOwn = find(r.get("annMessages"), "glad to be here");
        assertEquals(HOSTILE_NAME, guestsOwn.get("who").asText(), "the guest's name as typed: " + guestsOwn);
        JsonNode welcome = find(r.get("guestMessages"), "Welcome, everyone!");
        assertTrue(welcome.get("body").asText().endsWith("(edited)"), "the edit shows: " + welcome);
        assertEquals("Great to have you", r.get("afterEscape").get("body").asText(), "Escape kept the text");
        assertEquals("This invite link was withdrawn by the room's owner.", r.get("revokedMessage").asText());
        assertTrue(r.get("revokedFormHidden").asBoolean(), "no name form for a link that cannot work");
        assertEquals("/", r.get("bobPath").asText(), "a signed-in user's invite link is redeemed, then left");
        assertTrue(r.get("bobRole").asText().startsWith("3 members"), r.get("bobRole").asText());
        assertTrue(r.get("bobFirstPage").asInt() <= 50, "one page first: " + r.get("bobFirstPage"));
        assertEquals(3, r.get("memberRows").asInt(), "Ann, the guest and Bob");
        assertTrue(r.get("bobRooms").toString().contains("Ann"), "the direct room, named after Ann, with its unread count: " + r.get("bobRooms"));
        assertEquals("confirm-cancel", r.get("confirmFocus").asText(), "Cancel first: Enter alone deletes nothing");
        assertTrue(r.get("focusInDialog").asBoolean(), "Tab stays in the dialog");
        assertTrue(r.get("afterCancel").get("body").asText().contains("just between us"), "Escape kept it: " + r.get("afterCancel"));
        assertEquals("This message was deleted.", r.get("afterDelete").get("body").asText());
        assertTrue(r.get("bobRoomsAfterRename").toString().contains("Design crit"), r.get("bobRoomsAfterRename").toString());
        assertTrue(r.get("annCloseButton").asBoolean(), "the owner may close the room");
        assertFalse(r.get("bobCloseButton").asBoolean(), "an admin may not");
        assertEquals("Enter the user id of the person to invite.", r.get("personEmptyError").asText());
        assertTrue(r.get("personDone").asText().startsWith("Invited bob."), r.get("personDone").asText());
        assertEquals("", r.get("personErrorAfter").asText(), "the earlier error is gone");
        assertTrue(r.get("personListed").asText().contains("Personal invite for bob"), r.get("personListed").asText());
        assertTrue(r.get("bobInvitation").asText().startsWith("Ann invites you"), "by name: " + r.get("bobInvitation").asText());
        assertTrue(r.get("bobInvitationsAfter").asBoolean(), "answered: the list is gone");
        assertFalse(r.get("afterSignOut").get("app").asBoolean(), "signed out stays signed out: " + r.get("afterSignOut"));
        assertTrue(r.get("afterSignOut").get("kept").isNull(), "nothing kept: " + r.get("afterSignOut"));
        JsonNode phone = r.get("phoneOwner");
        assertTrue(phone.get("rename").asBoolean() && phone.get("close").asBoolean(), "on a phone in the members dialog: " + phone);
        assertTrue(phone.get("headerFits").asBoolean(), "the phone header does not overflow: " + phone);
        JsonNode all = r.get("bobAll");
        assertEquals("Welcome, everyone!", all.get(0).get("body").asText().substring(0, 18), "back to the first: " + all);
        assertUnique(all);
        long previous = 0;
        for (JsonNode m : all) {
            long id = m.get("id").asLong();
            assertTrue(id > previous, "in order: " + all);
            previous = id;
        }
        assertTrue(welcome.get("body").asText().contains("<script>alert(2)</script>"), welcome.toString());
        JsonNode link = welcome.get("links").get(0);
        assertEquals("https://example.org/a?b=1", link.get("href").asText());
        assertEquals("noopener noreferrer", link.get("rel").asText());
        assertEquals("_blank", link.get("target").asText());

        // The reply quotes what it answers.
        JsonNode reply = find(r.get("guestMessages"), "Great to have you");
        assertTrue(reply.get("quote").asText().contains("glad to be here"), reply.toString());
        assertTrue(r.get("typing").asText().contains(HOSTILE_NAME + " is typing"), r.get("typing").asText());

        // After the reload: the history, each message once.
        assertEquals(1, countOf(r.get("afterReload"), "Welcome, everyone!"), r.get("afterReload").toString());
        assertUnique(r.get("afterReload"));

        // The network drop: shown, queued, delivered once on both sides.
        assertFalse(r.get("offlineState").asText().equals("Connected"), r.get("offlineState").asText());
        assertEquals(2, r.get("pendingWhileOffline").asInt(), "the guest's two messages wait as sending");
        for (String side : List.of("annFinal", "guestFinal")) {
            JsonNode list = r.get(side);
            for (String text : List.of("sent while offline 1", "sent while offline 2", "sent while the guest was away")) {
                assertEquals(1, countOf(list, text), side + " has '" + text + "' once: " + list);
            }
            assertUnique(list);
            for (JsonNode m : list) {
                assertFalse(m.get("pending").asBoolean(), side + ": nothing left unsent: " + m);
            }
        }

        // The call: relay-only room, media both ways, and it came back after the drop.
        JsonNode guest = r.get("guestReport");
        assertTrue(guest.get("resumes").asInt() >= 1, guest.toString());
        for (String side : List.of("annReport", "guestReport")) {
            JsonNode page = r.get(side);
            assertEquals("relay", page.get("iceTransportPolicy").asText(), side);
            JsonNode stats = page.get("stats");
            assertEquals(1, stats.size(), side + ": one peer connection: " + stats);
            JsonNode peer = stats.elements().next();
            assertTrue(peer.get("audio").asLong() > 0 && peer.get("video").asLong() > 0, side + ": " + peer);
            assertEquals("relay", peer.get("pair").get("local").asText(), side + ": " + peer);
            assertEquals(0, page.get("csp").size(), side + ": " + page.get("csp"));
        }
        for (String shot : List.of("signin-desktop", "signin-phone", "join-phone", "invite-desktop", "members-desktop", "chat-desktop",
                "chat-phone", "drawer-phone", "join-revoked-desktop", "call-desktop", "call-phone", "offline-phone",
                "confirm-desktop", "rename-desktop", "members-owner-phone", "owner-phone")) {
            assertTrue(Files.size(SCREENSHOTS.resolve(shot + ".png")) > 1000, shot);
        }
    }

    @Test
    void theSignInFormsFileNamesTheProvidersThatAreOnAndIsNotCached() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/app/sign-in.json")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(""));
        JsonNode body = new ObjectMapper().readTree(response.body());
        Set<String> providers = new HashSet<>();
        body.get("providers").forEach(p -> providers.add(p.asText()));
        assertTrue(providers.contains("jwt"), response.body());
        assertFalse(providers.contains("dev"), response.body());
        assertEquals(1, body.size(), "names providers and nothing else: " + response.body());
        // The folder's static files are still served around it.
        var script = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/app/app.js")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, script.statusCode());
    }

    private static JsonNode find(JsonNode messages, String text) {
        for (JsonNode m : messages) {
            if (m.get("body").asText().contains(text)) {
                return m;
            }
        }
        throw new AssertionError("no message with '" + text + "': " + messages);
    }

    private static int countOf(JsonNode messages, String text) {
        int n = 0;
        for (JsonNode m : messages) {
            n += m.get("body").asText().contains(text) ? 1 : 0;
        }
        return n;
    }

    private static void assertUnique(JsonNode messages) {
        Set<String> ids = new HashSet<>();
        for (JsonNode m : messages) {
            if (!m.get("id").isNull()) {
                assertTrue(ids.add(m.get("id").asText()), "message " + m.get("id") + " shown twice: " + messages);
            }
        }
    }

    private JsonNode run(String token, String secondToken) throws Exception {
        Path out = Files.createTempFile(data, "client-e2e", ".json");
        Path err = Files.createTempFile(data, "client-e2e", ".err");
        Process p = new ProcessBuilder(node.toString(), "client-e2e.mjs", baseUrl, token,
                SCREENSHOTS.toAbsolutePath().toString(), secondToken)
                .directory(BrowserE2e.NODE_PROJECT.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("e2e driver did not finish: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), "e2e driver failed:\n" + Files.readString(err));
        // Kept beside the screenshots: what the pages showed, for whoever reads a failure.
        Files.copy(out, SCREENSHOTS.resolve("report.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new ObjectMapper().readTree(Files.readString(out));
    }
}
