package io.presence.signaling.signin;

/**
 * Why a token is refused: the reason code (logs, the {@code presence.auth.failures} metric, the client's error) and
 * the message the client sees. Messages name the category only, never which key, claim value or byte was wrong:
 * enough for an honest client to fix its clock or ask for a new token, nothing that helps forge one.
 */
public enum TokenRefusal {
    MALFORMED("malformed", "the token is not a well-formed signed JWT"),
    UNSUPPORTED_ALG("unsupported_alg", "the token's signature algorithm is not accepted by this server"),
    BAD_SIGNATURE("bad_signature", "the token's signature does not verify"),
    EXPIRED("expired", "the token has expired"),
    NOT_YET_VALID("not_yet_valid", "the token is not valid yet (check the clocks)"),
    TOO_LONG_LIVED("too_long_lived", "the token lives longer than this server accepts"),
    MISSING_CLAIM("missing_claim", "the token lacks a required claim (exp, sub, name)"),
    BAD_CLAIM("bad_claim", "a claim of the token has a value this server does not accept"),
    REVOKED("revoked", "the user's sign-in was revoked after this token was issued; get a new token"),
    WRONG_ISSUER("wrong_issuer", "the token was issued for another server"),
    WRONG_AUDIENCE("wrong_audience", "the token was issued for another audience");

    private final String code;
    private final String message;

    TokenRefusal(String code, String message) {
        this.code = code;
        this.message = message;
    }

    /** A short fixed word: bounded as a metrics label. */
    public String code() {
        return code;
    }

    public String message() {
        return message;
    }
}
