package io.presence.signaling.protocol;

/**
 * The limits a client must respect, as the server enforces them, sent in every {@code welcome} ({@code limits}).
 * Built from the server's settings, so a client can pace and size its requests instead of discovering each limit
 * by its error.
 *
 * @param maxFrameBytes          largest frame (TCP line or WebSocket message); longer gets {@code frame_bytes}
 * @param messagesPerSecond      sustained requests per second per session; more get {@code message_rate}
 * @param messageBurst           requests a session may send at once
 * @param rateLimitCloseAfterMs  refusals for the rate going on without letup this long close the connection
 *                               ({@code closing} {@code rate_limited})
 * @param roomsPerSession        rooms one session may be in
 * @param membersPerRoom         members in one room
 * @param callParticipants       participants in one room's call
 * @param maxTextLength          characters of one chat message
 * @param maxHistoryPage         largest {@code limit} of {@code chat.history}
 * @param maxSdpBytes            largest SDP a {@code live.signal} may carry
 * @param maxCandidateBytes      largest trickled candidate
 * @param maxRequestIdLength     characters of a {@code requestId} (and of other ids a client chooses)
 * @param maxHeldDuringHello     requests sent behind {@code hello} that are held until the welcome; more are refused
 * @param outboundQueueMessages  messages the server queues for a connection that does not read before closing it as
 *                               a slow consumer
 * @param resumeBufferEvents     events kept for replay on resume
 */
public record ClientLimits(int maxFrameBytes, double messagesPerSecond, int messageBurst, long rateLimitCloseAfterMs,
                           int roomsPerSession, int membersPerRoom, int callParticipants, int maxTextLength,
                           int maxHistoryPage, int maxSdpBytes, int maxCandidateBytes, int maxRequestIdLength,
                           int maxHeldDuringHello, int outboundQueueMessages, int resumeBufferEvents) {

    /** What the decoder accepts as {@code chat.history} {@code limit}: fixed by the protocol, not configured. */
    public static final int MAX_HISTORY_PAGE = ClientMessageDecoder.MAX_HISTORY_PAGE;
    /** What the decoder accepts as a {@code requestId}: fixed by the protocol, not configured. */
    public static final int MAX_REQUEST_ID_LENGTH = JsonFields.MAX_ID_LENGTH;
}
