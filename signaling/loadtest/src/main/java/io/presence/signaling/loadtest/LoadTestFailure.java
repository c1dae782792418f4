package io.presence.signaling.loadtest;

/**
 * A load test that could not run at all (no session could be opened); the message is one line for the operator,
 * naming the cause and, for a refused sign-in, what to change on the target.
 */
public final class LoadTestFailure extends RuntimeException {

    public LoadTestFailure(String message) {
        super(message, null, false, false);
    }
}
