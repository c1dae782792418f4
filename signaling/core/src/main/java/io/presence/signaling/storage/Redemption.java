package io.presence.signaling.storage;

/**
 * The outcome of {@link InviteStore#redeem}: let through (the membership is kept), or why not. Checked in this
 * order, so an invite that is both revoked and expired reads as revoked.
 */
public enum Redemption {
    REDEEMED,
    /** No invite with that id (or token hash). */
    UNKNOWN,
    REVOKED,
    EXPIRED,
    /** A single-use invite someone already redeemed. */
    USED
}
