package io.presence.signaling.client;

import io.presence.signaling.protocol.ServerMessage;

/** The server answered a request with an error frame. */
public final class SignalingException extends RuntimeException {
    private final ServerMessage.Error error;

    public SignalingException(ServerMessage.Error error) {
        super(error.code() + ": " + error.message());
        this.error = error;
    }

    public ServerMessage.Error error() {
        return error;
    }

    public String code() {
        return error.code();
    }
}
