package io.presence.signaling.protocol;

/** What {@link ClientMessageDecoder} made of one frame: a message, or a typed rejection to send back. */
public sealed interface DecodeResult {

    record Decoded(ClientMessage message) implements DecodeResult {
    }

    /**
     * The frame was rejected. {@code requestId} is set when the frame was a JSON object with a usable
     * {@code requestId}, so the client can correlate the error; {@code type} is the frame's type when it was
     * readable (for metrics), else null.
     */
    record Rejected(ErrorCode code, String message, String requestId, String type) implements DecodeResult {
        public ServerMessage.Error toError() {
            return ServerMessage.Error.of(requestId, code, message);
        }
    }
}
