package io.presence.signaling.storage;

import io.presence.signaling.protocol.ChatMessageView;

import java.util.List;

/** One page of a room's chat history, oldest first; {@code hasMore} when older messages exist. */
public record ChatPage(List<ChatMessageView> messages, boolean hasMore) {
}
