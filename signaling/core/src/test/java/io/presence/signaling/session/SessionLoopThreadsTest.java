package io.presence.signaling.session;

import io.presence.signaling.runtime.ThreadLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The move on real threads: a sender on its own loop keeps sending numbered work while the session moves back and
 * forth between two loops. Every piece runs where the state is, exactly once, in the order it was sent.
 */
class SessionLoopThreadsTest {
    static final int SENT = 20_000;
    static final int MOVES = 200;

    final ThreadLoop first = new ThreadLoop("first");
    final ThreadLoop second = new ThreadLoop("second");
    final ThreadLoop sender = new ThreadLoop("sender");

    @AfterEach
    void stop() {
        first.close();
        second.close();
        sender.close();
    }

    @Test
    void workSentDuringMovesRunsOnceInOrderWhereTheStateIs() throws Exception {
        SessionLoop home = new SessionLoop(first);
        List<Integer> ran = new ArrayList<>(SENT); // session state: touched only where home says
        int[] offLoop = new int[1];
        CountDownLatch done = new CountDownLatch(1);
        List<Consumer<Runnable>> senders = List.of(sender::execute);
        sender.execute(() -> {
            for (int i = 0; i < SENT; i++) {
                int n = i;
                home.execute(() -> {
                    if (!home.inLoop()) {
                        offLoop[0]++;
                    }
                    ran.add(n);
                    if (n == SENT - 1) {
                        done.countDown();
                    }
                });
                if (i % (SENT / MOVES) == 0) {
                    // Ask the session to move to the loop it is not on, from wherever it is.
                    home.execute(() -> home.moveTo(first.inLoop() ? second : first, senders));
                }
            }
        });
        assertTrue(done.await(30, TimeUnit.SECONDS), "all work ran");
        first.drain();
        second.drain();
        assertEquals(0, offLoop[0], "never off the state's loop");
        assertEquals(SENT, ran.size());
        for (int i = 0; i < SENT; i++) {
            assertEquals(i, ran.get(i), "in the order sent");
        }
    }
}
