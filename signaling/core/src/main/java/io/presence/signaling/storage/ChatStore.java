package io.presence.signaling.storage;

/**
 * Where rooms keep their chat. The core asks it for one {@link ChatLog} per room when the room is loaded.
 * In memory ({@link InMemoryChatStore}) the chat lives and dies with the room; a persistent store keeps it across
 * unloads and restarts.
 *
 * <p>Thread-safe.
 */
public interface ChatStore {

    /** The chat of room {@code roomId}; called once each time the room is loaded, before the room runs. */
    ChatLog open(String roomId);
}
