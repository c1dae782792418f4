package io.presence.signaling.app;

import io.presence.signaling.client.ClientSession;
import io.presence.signaling.client.SignalingClient;
import io.presence.signaling.protocol.ChatMessageView;
import io.presence.signaling.protocol.ClientMessage;
import io.presence.signaling.protocol.ServerMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} in the middle of a burst of chat into a persistent room, on the embedded H2 and on MariaDB: after
 * a start on the same data every acknowledged message is in the history exactly once with the id its ack named,
 * and a resend of every message that was sent but not acknowledged is stored at most once (answered as a duplicate
 * when it was committed before the kill).
 */
class CrashDurabilityTest {
    private static final List<String> USERS = List.of("ann", "bob", "cat", "dan");
    private static final int PER_USER = 400;
    private static final int IN_FLIGHT = 16;
    private static final int ACKS_BEFORE_KILL = 200;

    @TempDir
    Path dir;

    private Map<String, String> env(String storageUrl) {
        Map<String, String> env = TestConfigs.ephemeralEnv(dir.resolve("data"));
        env.put("PRESENCE_SIGNALING_DEV_AUTH", "true");
        env.put("PRESENCE_SIGNALING_MESSAGES_PER_SECOND", "100000");
        env.put("PRESENCE_SIGNALING_MESSAGE_BURST", "100000");
        if (!storageUrl.isEmpty()) {
            env.put("PRESENCE_STORAGE_URL", storageUrl);
            env.put("PRESENCE_STORAGE_USER", "root");
        }
        return env;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "mariadb"})
    void everyAcknowledgedMessageSurvivesAKillOnceAndResendsAreNotStoredTwice(String kind) throws Exception {
        if (kind.equals("h2")) {
            killDuringABurstAndStartAgain(env(""));
            return;
        }
        try (MariaDbSchema schema = MariaDbSchema.create()) {
            killDuringABurstAndStartAgain(env(schema.url()));
        }
    }

    /** What one user sent (clientMsgId → text) and what was acknowledged (clientMsgId → message id). */
    private record Sender(String user, Map<String, String> sent, Map<String, Long> acked) {
        Sender(String user) {
            this(user, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    private void killDuringABurstAndStartAgain(Map<String, String> env) throws Exception {
        String room;
        List<Sender> senders = new ArrayList<>();
        ChildAppliance first = ChildAppliance.start(dir, env);
        try (SignalingClient clients = SignalingClient.builder().webSocket(first.webSocket()).build()) {
            List<ClientSession> sessions = new ArrayList<>();
            for (String user : USERS) {
                ClientSession s = clients.connect();
                s.hello(user);
                sessions.add(s);
                senders.add(new Sender("dev:" + user));
            }
            room = sessions.get(0).createRoom();
            for (ClientSession s : sessions.subList(1, sessions.size())) {
                s.join(room);
            }
            sessions.get(0).nameRoom(room, "Durable");

            AtomicInteger acks = new AtomicInteger();
            AtomicBoolean killed = new AtomicBoolean();
            CountDownLatch enoughAcks = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < sessions.size(); i++) {
                ClientSession session = sessions.get(i);
                Sender sender = senders.get(i);
                Thread t = new Thread(() -> burst(session, sender, room, killed, acks, enoughAcks),
                        "burst-" + sender.user());
                threads.add(t);
                t.start();
            }
            assertTrue(enoughAcks.await(60, TimeUnit.SECONDS), "the burst was not acknowledged: " + acks);
            int exit = first.kill();
            killed.set(true);
            assertEquals(128 + 9, exit, "destroyForcibly is SIGKILL");
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(t.isAlive(), t.getName() + " did not stop");
            }
        } finally {
            first.close();
        }
        int sent = senders.stream().mapToInt(s -> s.sent().size()).sum();
        int acked = senders.stream().mapToInt(s -> s.acked().size()).sum();
        assertTrue(acked >= ACKS_BEFORE_KILL && acked < sent,
                "the kill came in the middle of the burst: " + acked + " acked of " + sent + " sent");

        try (ChildAppliance second = ChildAppliance.start(dir, env);
             SignalingClient clients = SignalingClient.builder().webSocket(second.webSocket()).build()) {
            Map<String, ClientSession> sessions = new HashMap<>();
            for (String user : USERS) {
                ClientSession s = clients.connect();
                s.hello(user);
                s.join(room);
                sessions.put("dev:" + user, s);
            }
            List<ChatMessageView> history = wholeHistory(sessions.get("dev:ann"), room);
            Map<String, ChatMessageView> byKey = new HashMap<>();
            for (ChatMessageView m : history) {
                assertNotNull(m.clientMsgId(), m.toString());
                ChatMessageView twice = byKey.put(m.fromUserId() + "/" + m.clientMsgId(), m);
                assertEquals(null, twice, "stored twice: " + m + " and " + twice);
            }
            for (Sender s : senders) {
                for (Map.Entry<String, Long> ack : s.acked().entrySet()) {
                    ChatMessageView stored = byKey.get(s.user() + "/" + ack.getKey());
                    assertNotNull(stored, "acknowledged but lost in the kill: " + s.user() + " " + ack.getKey());
                    assertEquals(ack.getValue(), stored.id(), "stored under another id than acknowledged");
                    assertEquals(s.sent().get(ack.getKey()), stored.text());
                }
            }

            int duplicates = 0;
            for (Sender s : senders) {
                ClientSession session = sessions.get(s.user());
                for (Map.Entry<String, String> message : s.sent().entrySet()) {
                    if (s.acked().containsKey(message.getKey())) {
                        continue;
                    }
                    ServerMessage.ChatAck ack = session.chat(room, message.getKey(), message.getValue());
                    ChatMessageView before = byKey.get(s.user() + "/" + message.getKey());
                    assertEquals(before != null, ack.duplicate(),
                            "a resend is a duplicate exactly when it was committed before the kill");
                    if (before != null) {
                        assertEquals(before.id(), ack.messageId());
                        duplicates++;
                    }
                }
            }
            List<ChatMessageView> after = wholeHistory(sessions.get("dev:ann"), room);
            Set<String> keys = new HashSet<>();
            for (ChatMessageView m : after) {
                assertTrue(keys.add(m.fromUserId() + "/" + m.clientMsgId()), "stored twice after resending: " + m);
            }
            assertEquals(sent, after.size(), "every message sent is stored once after the resend ("
                    + duplicates + " were committed but not acknowledged before the kill)");
        }
    }

    /** Sends this user's messages with a few in flight at a time until all are sent or the appliance is killed. */
    private static void burst(ClientSession session, Sender sender, String room, AtomicBoolean killed,
                              AtomicInteger acks, CountDownLatch enoughAcks) {
        Semaphore window = new Semaphore(IN_FLIGHT);
        String user = sender.user().substring("dev:".length());
        for (int n = 0; n < PER_USER && !killed.get(); n++) {
            try {
                while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (killed.get()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            String clientMsgId = user + "-" + n;
            String text = user + " #" + n + " 😀 שלום e\u0301";
            sender.sent().put(clientMsgId, text);
            session.request(new ClientMessage.SendChat(session.nextRequestId(), room, clientMsgId, text, null))
                    .whenComplete((answer, failure) -> {
                        window.release();
                        if (answer instanceof ServerMessage.ChatAck ack) {
                            sender.acked().put(ack.clientMsgId(), ack.messageId());
                            if (acks.incrementAndGet() >= ACKS_BEFORE_KILL) {
                                enoughAcks.countDown();
                            }
                        }
                    });
        }
    }

    /** Pages backwards from the newest message to the first; bounded by the number of pages it can take. */
    private static List<ChatMessageView> wholeHistory(ClientSession session, String room) {
        List<ChatMessageView> newestFirst = new ArrayList<>();
        Long before = null;
        for (int page = 0; page < USERS.size() * PER_USER; page++) {
            ServerMessage.HistoryPage p = session.history(room, before, 100);
            for (int i = p.messages().size() - 1; i >= 0; i--) {
                newestFirst.add(p.messages().get(i));
            }
            if (!p.hasMore() || p.messages().isEmpty()) {
                break;
            }
            before = p.messages().get(0).id();
        }
        List<ChatMessageView> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }
}
