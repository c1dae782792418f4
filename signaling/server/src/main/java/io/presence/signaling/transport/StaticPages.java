package io.presence.signaling.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the web files on the HTTP port: the web client (at {@code /} and {@code /join/<token>}), the SDK, its
 * widgets and the example page. The table of paths comes from the manifest {@code /web/files.txt} (module signaling/web): each line maps one URL path to one
 * classpath resource under {@code /web/}, the content type follows the resource's extension, and every file is
 * loaded once at start. Nothing else is served — no directory listing, no path from the request ever reaches the
 * class loader (it is only a key into the table) — and nothing a user sent is ever rendered: the pages build
 * their DOM with {@code textContent}. Every other request (the WebSocket upgrade, 404s) goes on to
 * {@link WsHandshakeGuard}.
 *
 * <p>Every file carries a strong ETag (a hash of its bytes) and {@code Cache-Control: no-cache}: browsers keep
 * the SDK but ask each time, so an upgraded appliance never leaves a page on an old SDK, and an unchanged file
 * costs a 304 without a body. Text files are also kept gzipped (made once at start) and go that way to clients
 * that accept gzip: the client and SDK are about 160 KB as written and 45 KB gzipped.
 *
 * <p>Buffer ownership: a request it answers is released here; any other is passed on untouched. Sharable.
 */
@io.netty.channel.ChannelHandler.Sharable
final class StaticPages extends ChannelInboundHandlerAdapter {
    static final String MANIFEST = "/web/files.txt";
    static final Map<String, String> TYPES = Map.of(
            ".html", "text/html; charset=utf-8",
            ".js", "text/javascript; charset=utf-8",
            ".mjs", "text/javascript; charset=utf-8",
            ".css", "text/css; charset=utf-8",
            ".d.ts", "application/typescript; charset=utf-8",
            ".json", "application/json",
            ".svg", "image/svg+xml",
            ".png", "image/png");
    /**
     * Scripts and styles only from this origin, so neither an injected {@code <script>} nor an inline handler
     * ({@code onerror=}) can run even if a page had a bug; the widgets style their shadow roots with constructed
     * stylesheets, which CSP does not govern, so no {@code 'unsafe-inline'} is needed. {@code connect-src 'self'}
     * admits the WebSocket to this same host and port (CSP Level 3 matches ws:/wss: of the own origin) and no
     * other: a bare {@code ws: wss:} would let a page talk to any host. Images only from here (avatars);
     * media from the page's own streams ({@code blob:}, {@code mediastream:}). No framing, no {@code <base>}, no
     * form posts, no plugins: {@code default-src 'none'} denies everything not named.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    /**
     * A file as served: its bytes, and a gzip copy made once at start when that is smaller (the SDK and the client
     * are text, about a third of their size gzipped), with its own strong ETag as RFC 9110 asks of another
     * representation.
     */
    record Page(byte[] body, String contentType, String etag, byte[] gzipped, String gzipEtag) {
        Page(byte[] body, String contentType, String etag) {
            this(body, contentType, etag, gzip(body), etag.substring(0, etag.length() - 1) + "-gz\"");
        }

        boolean hasGzip() {
            return gzipped != null;
        }
    }

    /** The gzip copy of {@code body}, or null when it saves nothing worth the header. */
    static byte[] gzip(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length / 2 + 64);
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
            }
        }) {
            z.write(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] gz = out.toByteArray();
        return gz.length + 64 < body.length ? gz : null;
    }

    /** Whether the client takes gzip: a listed {@code gzip} (or {@code *}) whose weight is not zero. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.strip().split(";");
            String coding = p[0].strip().toLowerCase(java.util.Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < p.length; i++) {
                String param = p[i].strip().toLowerCase(java.util.Locale.ROOT);
                if (param.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(param.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }

    /**
     * The old call page's addresses, {@code /call} and {@code /call/}: the web client at {@code /} holds calls now,
     * so bookmarks and shared links are redirected there, query included.
     */
    static final String DIRECTORY = "/call";
    /** The SDK's directory: its files may be imported by pages of other origins. */
    static final String SDK = "/sdk/";

    /**
     * Invite links, {@code /join/<token>}: the web client's page (the manifest's {@code /}) reads the token from its
     * own address. One prefix route instead of a table entry per token; the token's shape is checked here so
     * anything else under {@code /join/} stays a 404.
     */
    static final String JOIN = "/join/";
    private static final java.util.regex.Pattern INVITE_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Map<String, Page> pages;

    StaticPages() {
        pages = loadManifest();
    }

    /** The table, from the manifest; a line naming a missing resource or an unknown extension fails the start. */
    static Map<String, Page> loadManifest() {
        String manifest = new String(read(MANIFEST), StandardCharsets.UTF_8);
        Map<String, Page> table = new HashMap<>();
        for (String raw : manifest.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2 || !parts[0].startsWith("/") || parts[1].startsWith("/")
                    || parts[1].contains("..")) {
                throw new IllegalStateException(MANIFEST + ": not '<url path> <resource>': " + line);
            }
            byte[] body = read("/web/" + parts[1]);
            if (table.put(parts[0], new Page(body, contentType(parts[1]), etag(body))) != null) {
                throw new IllegalStateException(MANIFEST + ": " + parts[0] + " listed twice");
            }
        }
        return Map.copyOf(table);
    }

    static String contentType(String resource) {
        String best = null;
        for (String ext : TYPES.keySet()) {
            if (resource.endsWith(ext) && (best == null || ext.length() > best.length())) {
                best = ext;
            }
        }
        if (best == null) {
            throw new IllegalStateException(MANIFEST + ": no content type for " + resource);
        }
        return TYPES.get(best);
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (path.equals(DIRECTORY) || path.equals(DIRECTORY + "/")) {
            try {
                redirectToClient(ctx, uri);
            } finally {
                ReferenceCountUtil.release(request);
            }
            return;
        }
        Page page = pages.get(path);
        if (page == null && path.startsWith(JOIN) && INVITE_TOKEN.matcher(path.substring(JOIN.length())).matches()) {
            page = pages.get("/");
        }
        if (page == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            boolean get = HttpMethod.GET.equals(request.method());
            boolean head = HttpMethod.HEAD.equals(request.method());
            if (!get && !head) {
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.METHOD_NOT_ALLOWED, Unpooled.EMPTY_BUFFER);
                r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                send(ctx, r);
                return;
            }
            boolean gzip = page.hasGzip() && acceptsGzip(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
            byte[] body = gzip ? page.gzipped() : page.body();
            String etag = gzip ? page.gzipEtag() : page.etag();
            boolean fresh = matches(request.headers().get(HttpHeaderNames.IF_NONE_MATCH), etag);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    fresh ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                    head || fresh ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, page.contentType());
            if (page.hasGzip()) {
                r.headers().set(HttpHeaderNames.VARY, "Accept-Encoding");
            }
            if (gzip) {
                r.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            }
            r.headers().set("X-Content-Type-Options", "nosniff");
            r.headers().set("Content-Security-Policy", CSP);
            r.headers().set("Referrer-Policy", "no-referrer");
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            r.headers().set(HttpHeaderNames.ETAG, etag);
            if (path.startsWith(SDK)) {
                // A host site on another origin imports the SDK as a module, which browsers fetch with CORS. The
                // files are public and carry no credentials; who may connect is the WebSocket's Origin check.
                r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            }
            HttpUtil.setContentLength(r, fresh ? 0 : body.length);
            send(ctx, r);
        } finally {
            ReferenceCountUtil.release(request);
        }
    }

    /**
     * 308 keeps the method; the query string goes along as sent. The target always starts with {@code /?} or is
     * {@code /}, so no request can turn it into a redirect to another site.
     */
    private static void redirectToClient(ChannelHandlerContext ctx, QueryStringDecoder uri) {
        String raw = uri.rawQuery();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PERMANENT_REDIRECT,
                Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.LOCATION, "/" + (raw.isEmpty() ? "" : "?" + raw));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        send(ctx, r);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(response, response.content().readableBytes());
        }
        // One response per connection keeps the pre-upgrade pipeline simple (its read timeout stays armed).
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** {@code If-None-Match}: a list of tags or {@code *}; weak tags compare by their opaque part. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticPages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
