package io.presence.signaling.runtime;

/** A scheduled task that has not run yet, or has. */
@FunctionalInterface
public interface Cancellable {

    /** Keeps the task from running if it has not started; does nothing otherwise. Idempotent. */
    void cancel();
}
