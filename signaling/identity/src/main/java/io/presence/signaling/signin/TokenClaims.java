package io.presence.signaling.signin;

/** The claim names this server reads beyond the registered ones ({@code sub}, {@code exp}, {@code nbf}, {@code iat}, {@code iss}, {@code aud}). */
public final class TokenClaims {
    /** The display name. */
    public static final String NAME = "name";
    /** The one room the sign-in is good for. */
    public static final String ROOM = "room";
    /** {@code true}: a server admin. */
    public static final String ADMIN = "admin";

    private TokenClaims() {
    }
}
