package io.presence.signaling.room;

import io.presence.signaling.protocol.RoomEvent;
import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.ThreadLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FanOutTest {
    final ThreadLoop home = new ThreadLoop("home");
    final ThreadLoop other = new ThreadLoop("other");
    final ThreadLoop third = new ThreadLoop("third");

    @AfterEach
    void stop() {
        home.close();
        other.close();
        third.close();
    }

    /** A sink on a given loop that records, on that loop, what it got and whether it ran there. */
    static final class LoopSink implements MemberSink {
        final Loop loop;
        final List<Object> got = new ArrayList<>();
        boolean offLoop;

        LoopSink(Loop loop) {
            this.loop = loop;
        }

        @Override
        public void event(RoomEvent event) {
            offLoop |= !loop.inLoop();
            got.add(event);
        }

        @Override
        public void reply(Reply to, ServerMessage message) {
            offLoop |= !loop.inLoop();
            got.add(message);
        }

        @Override
        public void detached(String roomId) {
        }

        @Override
        public Loop loop() {
            return loop;
        }
    }

    @Test
    void everySinkGetsTheRoomsCallsInOrderOnItsOwnLoopWithOneTaskPerLoop() throws Exception {
        FanOut fanOut = new FanOut(home);
        List<LoopSink> sinks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sinks.add(new LoopSink(switch (i % 3) {
                case 0 -> home;
                case 1 -> other;
                default -> third;
            }));
        }
        List<Object> expected = new ArrayList<>();
        home.execute(() -> {
            for (int e = 0; e < 50; e++) {
                ServerMessage.Ok ack = new ServerMessage.Ok("r" + e);
                RoomEvent event = new RoomEvent.MemberTyping("room", "m" + e, true);
                fanOut.reply(sinks.get(e % sinks.size()), new Reply("r" + e, null), ack);
                for (LoopSink s : sinks) {
                    fanOut.event(s, event);
                }
                fanOut.flush();
                expected.add(ack);
                expected.add(event);
            }
        });
        home.drain();
        other.drain();
        third.drain();
        for (int i = 0; i < sinks.size(); i++) {
            LoopSink s = sinks.get(i);
            assertEquals(false, s.offLoop, "sink " + i + " was called off its loop");
            List<Object> mine = new ArrayList<>();
            for (int k = 0; k < expected.size(); k += 2) {
                int e = k / 2;
                if (e % sinks.size() == i) {
                    mine.add(expected.get(k));
                }
                mine.add(expected.get(k + 1));
            }
            assertEquals(mine, s.got, "sink " + i);
        }
    }
}
