package io.presence.signaling.runtime;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * Continuing an actor's work after a port's asynchronous answer, on the actor's loop. A stage that is already
 * complete (the in-memory ports' case) continues at once, in the caller's task, so that the in-memory path takes
 * no hop and keeps the order it had when the ports were synchronous.
 */
public final class Stages {

    private Stages() {
    }

    /**
     * Calls {@code then} with the stage's value or failure (unwrapped from {@link CompletionException}): now when
     * the stage is complete, else as a task on {@code loop} once it completes (inline if it completes on that loop).
     *
     * @return true when {@code then} ran now
     */
    public static <T> boolean continueOn(CompletionStage<T> stage, Loop loop, BiConsumer<? super T, Throwable> then) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (future.isDone()) {
            then.accept(valueOf(future), failureOf(future));
            return true;
        }
        future.whenComplete((value, failure) -> {
            Throwable cause = unwrap(failure);
            if (loop.inLoop()) {
                then.accept(value, cause);
            } else {
                try {
                    loop.execute(() -> then.accept(value, cause));
                } catch (RejectedExecutionException e) {
                    // Only while the loops shut down; the actor dies with them.
                }
            }
        });
        return false;
    }

    /** The value of a completed stage, or null when it failed. */
    public static <T> T valueOf(CompletableFuture<T> done) {
        return done.isCompletedExceptionally() ? null : done.join();
    }

    /** Why a completed stage failed, or null when it did not. */
    public static Throwable failureOf(CompletableFuture<?> done) {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return unwrap(e);
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
