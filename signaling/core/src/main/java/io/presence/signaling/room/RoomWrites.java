package io.presence.signaling.room;

import io.presence.signaling.protocol.ServerMessage;
import io.presence.signaling.runtime.Loop;
import io.presence.signaling.runtime.Stages;
import io.presence.signaling.storage.StorageErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * A room's writes to the store, one at a time: while one is in flight (a name, rename, settings, close, kick or
 * role), the requests it would race wait here and run in order once it completes, so that each write finds the room
 * as it was checked and no chat message lands in the in-memory log after its history was handed to the store.
 *
 * <p>Concurrency: owned by one {@link Room} and touched on the room's loop alone.
 */
final class RoomWrites {
    private static final Logger log = LoggerFactory.getLogger(RoomWrites.class);

    private final String roomId;
    private final Loop loop;
    private boolean writing;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>(0);

    RoomWrites(String roomId, Loop loop) {
        this.roomId = roomId;
        this.loop = loop;
    }

    /** Whether a write is in flight; if so {@code retry} runs after it, and the caller stops here. */
    boolean deferred(Runnable retry) {
        if (writing) {
            waiting.add(retry);
        }
        return writing;
    }

    /**
     * Whether a write is in flight, for the chat path: it asks first and makes its retry only then, so that a message
     * costs no retry object while nothing is being written (the usual case).
     */
    boolean writing() {
        return writing;
    }

    /** From now on everything that asks {@link #deferred} waits, until {@link #complete} ends the write. */
    void begin() {
        writing = true;
    }

    /**
     * Ends the write begun with {@link #begin} when {@code write} completes: {@code outcome} runs on the loop with
     * the write done, then what waited runs, until one of those starts another write.
     */
    <T> void complete(CompletionStage<T> write, BiConsumer<? super T, Throwable> outcome) {
        complete(write, outcome, () -> { });
    }

    /** {@link #complete}, with {@code then} after what waited has run. */
    <T> void complete(CompletionStage<T> write, BiConsumer<? super T, Throwable> outcome, Runnable then) {
        Stages.continueOn(write, loop, (value, failure) -> {
            writing = false;
            outcome.accept(value, failure);
            runWaiting();
            then.run();
        });
    }

    /** {@link #begin} and {@link #complete} at once. */
    <T> void write(CompletionStage<T> write, BiConsumer<? super T, Throwable> outcome) {
        begin();
        complete(write, outcome);
    }

    /**
     * A member's change, written before anyone sees it: {@code apply} makes it after the commit; a failed write is
     * logged and answered to the member with the storage error's code and {@code refusal}, and changes nothing.
     *
     * @param doing what the write does, for the log
     */
    void writeFor(RoomMember member, Reply reply, CompletionStage<?> write, String doing, String refusal,
                  Runnable apply) {
        write(write, (done, failure) -> {
            if (failure != null) {
                log.warn("room {}: {} failed: {}", roomId, doing, StorageErrors.describe(failure));
                member.sink.reply(reply, ServerMessage.Error.of(reply.requestId(), StorageErrors.codeOf(failure),
                        refusal));
            } else {
                apply.run();
            }
        });
    }

    private void runWaiting() {
        Runnable next;
        while (!writing && (next = waiting.poll()) != null) {
            next.run();
        }
    }
}
