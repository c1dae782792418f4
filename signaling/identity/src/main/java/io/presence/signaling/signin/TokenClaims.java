package io.presence.signaling.signin;

/** The claim names this server reads beyond the registered ones ({@code sub}, {@code exp}, {@code nbf}, {@code iat}, {@code iss}, {@code aud}). */
public final class TokenClaims {
    /** The display name. */
    public static final String NAME = "name";
    /** The one room the sign-in is good for. */
    public static final String ROOM = "room";
    /** {@code true}: a server admin. */
    public static final String ADMIN = "admin";
    /**
     * Role grants: an object of room id → {@code owner}, {@code admin} or {@code member}. Joining a granted
     * persistent room makes the holder a member with that role (or raises the role it has there).
     */
    public static final String ROLES = "roles";
    /** At most this many grants in one token: a token travels in every sign-in. */
    public static final int MAX_ROLES = 32;
    /** The roles a token may grant; a guest is a sign-in through an invite, never a grant. */
    public static final java.util.Set<String> GRANTABLE = java.util.Set.of("owner", "admin", "member");

    private TokenClaims() {
    }
}
