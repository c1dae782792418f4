package io.presence.signaling.runtime;

/**
 * The loops the core spreads its actors over. A room is placed on one loop when it is created and stays there;
 * a session lives on the loop of its connection.
 *
 * <p>Thread-safe.
 */
public interface LoopGroup {

    /** A loop for a new actor; implementations spread successive calls over their loops. */
    Loop next();

    /** Whether {@code loop} is one of this group's loops. */
    boolean contains(Loop loop);
}
