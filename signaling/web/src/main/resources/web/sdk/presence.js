// Presence JavaScript SDK: one ES module, no dependencies, no build step. It speaks the signaling protocol of
// signaling/PROTOCOL.md over a WebSocket: hello/welcome, seq-numbered events with exact replay on resume,
// requests correlated by requestId, rooms, chat, typing and live calls. SDK.md (signaling/web) is the guide.
//
// Nothing here renders anything: text from the server is handed to the application as strings, and the widgets
// (presence-widgets.js) put it into the DOM with textContent only.

export const PROTOCOL_VERSION = 1;

/** A refused request: `code` is the protocol's error code (switch on it), `message` is for humans. */
export class PresenceError extends Error {
  constructor(code, message, frame) {
    super(message || code);
    this.name = 'PresenceError';
    this.code = code;
    if (frame) {
      if (frame.limit !== undefined) { this.limit = frame.limit; }
      if (frame.reason !== undefined) { this.reason = frame.reason; }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pure helpers (exported for the application and for the unit tests)

/**
 * Delay before reconnect attempt `attempt` (0 = first): exponential from `baseMs` up to `maxMs`, with "equal
 * jitter" (between half and all of the step), so a whole office whose Wi-Fi comes back does not reconnect in
 * lockstep, yet nobody waits less than half the step.
 */
export function backoffDelay(attempt, { baseMs = 500, maxMs = 30000 } = {}, random = Math.random) {
  const step = Math.min(maxMs, baseMs * Math.pow(2, Math.max(0, attempt)));
  return Math.round(step / 2 + random() * step / 2);
}

/** base64url of the bytes (a Uint8Array, or the UTF-8 bytes of a string), without padding. */
export function base64url(data) {
  const bytes = typeof data === 'string' || !(data instanceof Uint8Array) ? new TextEncoder().encode(String(data)) : data;
  let bin = '';
  for (const b of bytes) { bin += String.fromCharCode(b); }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const SHA256_K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

/**
 * SHA-256 of the UTF-8 bytes of `text` (FIPS 180-4). Synchronous on purpose: the browser's crypto.subtle is
 * asynchronous and missing outside secure contexts, and an avatar's path must be known when its <img> is made.
 */
export function sha256(text) {
  const data = new TextEncoder().encode(String(text));
  const bitLength = data.length * 8;
  const padded = new Uint8Array(((data.length + 9 + 63) >> 6) << 6);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) { w[i] = view.getUint32(offset + i * 4); }
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  h.forEach((word, i) => outView.setUint32(i * 4, word));
  return out;
}

/**
 * The appliance's own avatar path for a user, guest or room, as the server assigns it (AvatarPath on the server):
 * a user's or guest's path id is base64url of the first 16 bytes of SHA-256 of the user id, so any id (`dev:Ann`,
 * `friend:42`) makes a path segment of fixed length; room ids are base64url already and go as they are. This is the
 * only place in the SDK that knows the mapping.
 */
export function avatarPath(kind, id, size = 64) {
  if (kind !== 'user' && kind !== 'guest' && kind !== 'room') {
    throw new TypeError('avatar kind must be user, guest or room');
  }
  const pathId = kind === 'room' ? String(id) : base64url(sha256(String(id)).subarray(0, 16));
  const px = Math.max(16, Math.min(512, Math.round(Number(size) || 64)));
  return '/avatar/' + kind + '/' + encodeURIComponent(pathId) + '.png?size=' + px;
}

const LINK = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}'"]+$/;

/**
 * Splits message text into plain parts and links. Only http: and https: count (never javascript:, data:, …);
 * trailing punctuation stays text ("see https://x.org." links to https://x.org). Returns
 * [{text}|{text, href}]; the caller builds the DOM (textContent) and never fetches or previews a link.
 */
export function splitLinks(text) {
  const out = [];
  const s = String(text);
  let last = 0;
  for (const m of s.matchAll(LINK)) {
    let raw = m[0];
    const trail = raw.match(TRAILING);
    if (trail) { raw = raw.slice(0, raw.length - trail[0].length); }
    let href;
    try {
      const u = new URL(raw);
      if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) { continue; }
      href = u.href;
    } catch (e) {
      continue;
    }
    if (m.index > last) { out.push({ text: s.slice(last, m.index) }); }
    out.push({ text: raw, href });
    last = m.index + raw.length;
  }
  if (last < s.length) { out.push({ text: s.slice(last) }); }
  return out;
}

/**
 * Seq bookkeeping of one session: every event carries the next seq; one already seen (a replay overlapping
 * what arrived before the socket died) is dropped, so the application sees each event exactly once. `lastSeq`
 * is what a resume asks to continue after.
 */
export class SeqTracker {
  constructor() { this.lastSeq = 0; }
  /** true when the event is new (and records it), false when it is a duplicate to ignore. */
  accept(seq) {
    if (typeof seq !== 'number' || seq <= this.lastSeq) { return false; }
    this.lastSeq = seq;
    return true;
  }
  reset() { this.lastSeq = 0; }
}

/**
 * The appliance this module was served by: its /ws. A host site on another origin that imports the SDK from the
 * appliance thus connects to that appliance without naming it twice.
 */
export function defaultUrl(moduleUrl = import.meta.url) {
  try {
    const u = new URL('/ws', moduleUrl);
    if (u.protocol === 'http:' || u.protocol === 'https:') {
      u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
      return u.href;
    }
  } catch (e) { /* not a URL: no default */ }
  return null;
}

let idCounter = 0;
/** A client-chosen id (requestId, clientMsgId): unique within this page, short, no user data. */
export function newId(prefix = '') {
  idCounter++;
  const rnd = Math.floor(Math.random() * 0x100000000).toString(36);
  return prefix + Date.now().toString(36) + '-' + idCounter.toString(36) + '-' + rnd;
}

// Errors after which a chat message will never be accepted as it is; anything else (a lost connection,
// storage_unavailable, message_rate) is retried with the same clientMsgId, which the server deduplicates.
const FINAL_CHAT_ERRORS = new Set(['invalid_field', 'forbidden', 'unknown_room', 'not_in_room', 'malformed_json',
  'unknown_type']);

function isRetriable(err) {
  if (!(err instanceof PresenceError)) { return true; }
  if (err.code === 'limit_exceeded') { return err.limit === 'message_rate'; }
  return !FINAL_CHAT_ERRORS.has(err.code);
}

function emit(target, type, detail) {
  target.dispatchEvent(new CustomEvent(type, { detail }));
}

// ---------------------------------------------------------------------------------------------------------------
// PresenceClient

const STATES = ['connecting', 'connected', 'reconnecting', 'offline', 'closed'];
// Hello refusals a retry cannot cure: the credentials (retries would feed the sign-in throttle) or the version.
const STOP_ON_HELLO = new Set(['auth_failed', 'unsupported_version', 'invalid_field', 'already_authenticated',
  'forbidden', 'invite_unknown', 'invite_expired', 'invite_used', 'invite_revoked']);

/**
 * One signaling session. Events (all CustomEvent with `detail`): `statechange` {state}, `welcome` {welcome,
 * resumed}, `session` {resumed:false} when a new session replaced a lost one (rooms rejoin by themselves),
 * `event` {event, seq} for every protocol event, and one per event type (`chat.message`, `member.joined`, …),
 * `read` {roomId, messageId} when this session moved a read marker, `sessionchange` {session} whenever `session`
 * changed (keep it to resume after a page reload),
 * `error` {error} for errors that belong to no request, `closing` {reason, message}.
 */
export class PresenceClient extends EventTarget {
  /**
   * @param {object} options
   *   url: WebSocket URL (default: /ws of the page's own origin);
   *   auth: {provider:'jwt', token} | {provider:'guest', invite, displayName} | {provider:'dev', displayName,
   *     avatarUrl?} — what hello carries for a new session;
   *   resume: {resumeToken, lastSeq} — a `session` kept from before a page reload: connect() resumes it first
   *     (missed events are replayed) and signs in with `auth` when the server no longer has it;
   *   reconnect: {baseMs, maxMs};
   *   WebSocket, window: injectable for tests and non-browser hosts.
   */
  constructor(options = {}) {
    super();
    const win = options.window !== undefined ? options.window : (typeof window !== 'undefined' ? window : null);
    this._win = win;
    this.url = options.url || defaultUrl();
    this.auth = options.auth || null;
    this.reconnectOptions = Object.assign({ baseMs: 500, maxMs: 30000 }, options.reconnect || {});
    this._WebSocket = options.WebSocket || (typeof WebSocket !== 'undefined' ? WebSocket : null);
    this._random = options.random || Math.random;
    this.state = 'offline';
    this.seq = new SeqTracker();
    this.sessionId = null;
    this.userId = null;
    this.limits = {};
    this.welcome = null;
    this._token = null;
    this._ws = null;
    this._pending = new Map();     // requestId → {resolve, reject, msg}
    this._queue = [];              // requests waiting for a connection: {msg, resolve, reject}
    this._attempt = 0;
    this._timer = null;
    this._watchdog = null;
    this._closed = false;
    this._connecting = null;
    this.rooms = new Map();
    this.invites = new Invites(this);
    if (options.resume) { this._adopt(options.resume); }
    this._onOnline = () => this._retryNow();
    this._onOffline = () => { if (this.state === 'reconnecting') { this._setState('offline'); } };
    this._onNetChange = () => { if (this.state === 'reconnecting' || this.state === 'offline') { this._retryNow(); } };
    if (win && win.addEventListener) {
      win.addEventListener('online', this._onOnline);
      win.addEventListener('offline', this._onOffline);
      const conn = win.navigator && win.navigator.connection;
      if (conn && conn.addEventListener) { conn.addEventListener('change', this._onNetChange); }
    }
  }

  get connected() { return this.state === 'connected'; }

  /**
   * What resumes this session from another page load: {resumeToken, lastSeq}, or null while there is nothing to
   * resume. It changes with every welcome and event (`sessionchange`); it is a credential, so keep it where the
   * tab's sign-in is kept (sessionStorage), never in a URL or a shared store.
   */
  get session() {
    return this._token ? { resumeToken: this._token, lastSeq: this.seq.lastSeq } : null;
  }

  /**
   * Connects by resuming `saved` (a `session` from before a reload); when the server no longer has it, signs in
   * with `auth` instead (then the `session` event says so). Resolves with the welcome, like connect().
   */
  resume(saved) {
    if (this.state === 'connected' || this._connecting) {
      return Promise.reject(new PresenceError('invalid_state', 'resume() is for a client that is not connected'));
    }
    this._adopt(saved);
    return this.connect();
  }

  _adopt(saved) {
    if (!saved || typeof saved.resumeToken !== 'string' || !saved.resumeToken) { return; }
    this._token = saved.resumeToken;
    this.seq.lastSeq = Number(saved.lastSeq) >= 0 ? Number(saved.lastSeq) : 0;
  }

  _setToken(token) {
    if (token === this._token) { return; }
    this._token = token;
    emit(this, 'sessionchange', { session: this.session });
  }

  /**
   * Opens the session (hello with `auth`); resolves with the first welcome. A network failure is retried with
   * back-off (state `connecting`); refused credentials reject with the PresenceError (`auth_failed`, …).
   */
  connect() {
    if (this._connecting) { return this._connecting; }
    if (!this.auth && !this._token) { return Promise.reject(new PresenceError('auth_failed', 'no auth options given')); }
    if (this.state === 'connected') { return Promise.resolve(this.welcome); }
    this._closed = false;
    this._attempt = 0;
    this._setState('connecting');
    this._connecting = new Promise((resolve, reject) => {
      this._connectWaiter = { resolve, reject };
    }).finally(() => { this._connecting = null; this._connectWaiter = null; });
    this._reconnect();
    return this._connecting;
  }

  /**
   * Sends a request and resolves with its response (rejects with a PresenceError). Sent at once when
   * connected, else when the connection is back. A request in flight when the connection dies is rejected
   * with code `disconnected`: the server never answers on a dead connection, and only the caller knows whether
   * a retry is safe (chat retries by itself, with the same clientMsgId).
   */
  request(msg) {
    if (this.state === 'closed') { return Promise.reject(new PresenceError('closed', 'the client is closed')); }
    return new Promise((resolve, reject) => {
      if (this.state === 'connected') { this._send(msg, resolve, reject); } else { this._queue.push({ msg, resolve, reject }); }
    });
  }

  /** Fire and forget (no requestId: the server answers only errors). Dropped while not connected. */
  notify(msg) {
    if (this.state !== 'connected') { return false; }
    this._write(msg);
    return true;
  }

  /** A Room object for an id (the same object each time); `join()` it to be in it. */
  room(roomId) {
    let r = this.rooms.get(roomId);
    if (!r) { r = new Room(this, roomId); this.rooms.set(roomId, r); }
    return r;
  }

  /** Creates a room (the caller is its owner) and returns it joined. */
  async createRoom({ relayOnly } = {}) {
    const msg = { type: 'room.create' };
    if (relayOnly !== undefined) { msg.relayOnly = !!relayOnly; }
    const joined = await this.request(msg);
    const room = this.room(joined.roomId);
    room._applyJoined(joined);
    return room;
  }

  /** Joins a room by id and returns it. */
  async joinRoom(roomId) {
    const room = this.room(roomId);
    await room.join();
    return room;
  }

  /**
   * The private room of this user and `userId` (room.direct): created on first use, joined, and returned. The
   * other user's online sessions get `room.listed` when this creates it.
   */
  async openDirect(userId) {
    const joined = await this.request({ type: 'room.direct', userId });
    const room = this.room(joined.roomId);
    room._applyJoined(joined);
    return room;
  }

  /** The persistent rooms of this user: [{roomId, name, unread, direct?, with?}]. */
  async listRooms() {
    const r = await this.request({ type: 'room.list' });
    return r.rooms || [];
  }

  updateProfile({ displayName, avatarUrl } = {}) {
    const msg = { type: 'profile.update' };
    if (displayName !== undefined) { msg.displayName = displayName; }
    if (avatarUrl !== undefined) { msg.avatarUrl = avatarUrl; }
    return this.request(msg);
  }

  /** Ends the session (bye) and stops reconnecting. */
  async close() {
    if (this.state === 'connected') {
      try { await this.request({ type: 'bye' }); } catch (e) { /* the session ends either way */ }
    }
    this._shutdown('closed');
  }

  // --- connection ---

  _setState(state) {
    if (!STATES.includes(state) || state === this.state) { return; }
    this.state = state;
    emit(this, 'statechange', { state });
  }

  _online() {
    const nav = this._win && this._win.navigator;
    return !nav || nav.onLine !== false;
  }

  /** Opens a socket and says hello; `resume` continues the current session. */
  _open(resume) {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new this._WebSocket(this.url);
      } catch (e) {
        reject(new PresenceError('disconnected', String(e && e.message)));
        this._lost();
        return;
      }
      this._ws = ws;
      let settled = false;
      const fail = (err) => { if (!settled) { settled = true; reject(err); } };
      ws.onopen = () => {
        const hello = { type: 'hello', version: PROTOCOL_VERSION };
        if (resume) { hello.resume = { token: this._token, lastSeq: this.seq.lastSeq }; } else { hello.auth = this.auth; }
        this._send(hello, (welcome) => {
          settled = true;
          this._onWelcome(welcome, resume);
          resolve(welcome);
        }, (err) => {
          if (resume && err.code === 'resume_failed') {
            // The session is gone (grace window over, buffer overflow): a new one, rooms rejoin.
            this.seq.reset();
            this._setToken(null);
            if (!this.auth) { fail(err); this._authFailed(err); return; }
            this._send({ type: 'hello', version: PROTOCOL_VERSION, auth: this.auth }, (welcome) => {
              settled = true;
              this._onWelcome(welcome, false);
              emit(this, 'session', { resumed: false });
              resolve(welcome);
            }, (e2) => { fail(e2); this._authFailed(e2); }, true);
            return;
          }
          fail(err);
          if (STOP_ON_HELLO.has(err.code)) {
            this._authFailed(err);
          } else if (ws === this._ws) {
            // server_draining, internal, …: the server closes or will; try again after the back-off.
            this._lost();
          }
        }, true);
      };
      ws.onmessage = (e) => { if (ws === this._ws) { this._onFrame(e.data); } };
      ws.onclose = () => {
        if (ws !== this._ws) { return; }
        fail(new PresenceError('disconnected', 'the connection closed'));
        this._lost();
      };
      ws.onerror = () => { /* onclose follows */ };
    });
  }

  _authFailed(err) {
    // Credentials refused: retrying would only feed the server's sign-in throttle.
    const waiter = this._connectWaiter;
    emit(this, 'error', { error: err });
    this._shutdown('offline', err);
    if (waiter) { waiter.reject(err); }
  }

  _onWelcome(welcome, resumed) {
    this.welcome = welcome;
    this._setToken(welcome.resumeToken);   // a token works once: keep the newest
    this.sessionId = welcome.sessionId;
    this.userId = welcome.userId;
    this.limits = welcome.limits || {};
    this._attempt = 0;
    this._armWatchdog();
    this._setState('connected');
    if (this._connectWaiter) { this._connectWaiter.resolve(welcome); }
    emit(this, 'welcome', { welcome, resumed: !!resumed });
    const queued = this._queue.splice(0);
    for (const q of queued) { this._send(q.msg, q.resolve, q.reject); }
  }

  /** The connection is gone (or never came): fail what was in flight, then resume after a back-off. */
  _lost() {
    clearTimeout(this._watchdog);
    const ws = this._ws;
    this._ws = null;
    if (ws) { try { ws.onclose = null; ws.close(); } catch (e) { /* already closed */ } }
    const inflight = Array.from(this._pending.values());
    this._pending.clear();
    for (const p of inflight) { p.reject(new PresenceError('disconnected', 'the connection was lost')); }
    if (this._closed || this.state === 'closed') { return; }
    this._schedule();
  }

  _schedule() {
    clearTimeout(this._timer);
    if (!this._online()) { this._setState('offline'); return; }
    this._setState(this._token ? 'reconnecting' : 'connecting');
    const delay = backoffDelay(this._attempt++, this.reconnectOptions, this._random);
    this._timer = setTimeout(() => this._reconnect(), delay);
  }

  _reconnect() {
    this._timer = null;
    if (this._closed || this._ws) { return; }
    this._open(!!this._token).catch(() => { /* _lost schedules the next attempt */ });
  }

  /** The network came back (online event, connection change): try now instead of waiting out the back-off. */
  _retryNow() {
    if (this._closed || this._ws || (this.state !== 'reconnecting' && this.state !== 'offline') || !this._online()) {
      return;
    }
    if (!this._token && !this.auth) { return; }
    clearTimeout(this._timer);
    this._attempt = 0;
    this._setState(this._token ? 'reconnecting' : 'connecting');
    this._reconnect();
  }

  /** No frame for two ping intervals and a grace: the socket is half-open; drop it and resume. */
  _armWatchdog() {
    clearTimeout(this._watchdog);
    const ping = (this.welcome && this.welcome.pingIntervalMs) || 15000;
    this._watchdog = setTimeout(() => { if (this._ws) { this._lost(); } }, 2 * ping + 5000);
  }

  _shutdown(state, cause) {
    this._closed = true;
    if (this._connectWaiter && state === 'closed') { this._connectWaiter.reject(cause || new PresenceError('closed', 'the client is closed')); }
    clearTimeout(this._timer);
    clearTimeout(this._watchdog);
    const ws = this._ws;
    this._ws = null;
    if (ws) { try { ws.onclose = null; ws.close(); } catch (e) { /* already closed */ } }
    const err = new PresenceError('closed', 'the client is closed');
    for (const p of this._pending.values()) { p.reject(err); }
    this._pending.clear();
    for (const q of this._queue.splice(0)) { q.reject(err); }
    this._setToken(null);
    this._setState(state);
    if (this._win && this._win.removeEventListener && state === 'closed') {
      this._win.removeEventListener('online', this._onOnline);
      this._win.removeEventListener('offline', this._onOffline);
      const conn = this._win.navigator && this._win.navigator.connection;
      if (conn && conn.removeEventListener) { conn.removeEventListener('change', this._onNetChange); }
    }
  }

  _write(msg) {
    this._ws.send(JSON.stringify(msg));
  }

  _send(msg, resolve, reject, force) {
    if (!this._ws || (!force && this.state !== 'connected')) {
      this._queue.push({ msg, resolve, reject });
      return;
    }
    const requestId = newId('r');
    const frame = Object.assign({}, msg, { requestId });
    this._pending.set(requestId, { resolve, reject, msg });
    try {
      this._write(frame);
    } catch (e) {
      this._pending.delete(requestId);
      reject(new PresenceError('disconnected', String(e && e.message)));
    }
  }

  _onFrame(data) {
    let m;
    try { m = JSON.parse(data); } catch (e) { return; }
    if (!m || typeof m.type !== 'string') { return; }
    this._armWatchdog();
    if (m.type === 'ping') {
      if (this._ws) { this._ws.send(m.requestId ? JSON.stringify({ type: 'pong', requestId: m.requestId }) : '{"type":"pong"}'); }
      return;
    }
    if (m.type === 'event') {
      if (!this.seq.accept(m.seq) || !m.event) { return; }
      if (this._token) { emit(this, 'sessionchange', { session: this.session }); }
      this._dispatch(m.event, m.seq);
      return;
    }
    if (m.type === 'closing') {
      emit(this, 'closing', { reason: m.reason, message: m.message });
      if (m.reason === 'bye' || m.reason === 'replaced' || m.reason === 'shutdown' || m.reason === 'server_draining') {
        // The session is over here (ended, or taken over by a newer connection of it): never resume.
        this._setToken(null);
      }
      return;
    }
    const p = m.requestId !== undefined ? this._pending.get(m.requestId) : undefined;
    if (p) {
      this._pending.delete(m.requestId);
      if (m.type === 'error') { p.reject(new PresenceError(m.code, m.message, m)); } else { p.resolve(m); }
      return;
    }
    if (m.type === 'error') { emit(this, 'error', { error: new PresenceError(m.code, m.message, m) }); }
  }

  _dispatch(event, seq) {
    const room = event.roomId !== undefined ? this.rooms.get(event.roomId) : undefined;
    if (room) {
      try { room._onEvent(event); } catch (e) { emit(this, 'error', { error: e }); }
    }
    emit(this, 'event', { event, seq });
    emit(this, event.type, event);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Room

/** How long another member's typing shows without a renewal (the server clears after 6 s and says so). */
export const TYPING_EXPIRY_MS = 8000;
/** A typing member renews at most this often: the server's indicator lasts 6 s. */
export const TYPING_RENEW_MS = 3000;
/** Without a keystroke for this long, typing stops by itself. */
export const TYPING_IDLE_MS = 5000;

/**
 * A room: members with presence, typing, and chat. Events (CustomEvent, `detail`): `joined` {room},
 * `members`, `member` {member, change:'joined'|'left'|'reconnecting'|'back'|'updated'}, `typing` {typing:[memberId]},
 * `message` {message}, `pending` {pending: [..]}, `edited` {message}, `deleted` {messageId, deletedBy, reason},
 * `read` {messageId}, `history` {messages, direction}, `renamed` {name}, `settings` {relayOnly}, `closed` {by},
 * `left`, and `live` {event} for the call's events (Call listens to these).
 */
export class Room extends EventTarget {
  constructor(client, id) {
    super();
    this.client = client;
    this.id = id;
    this.joined = false;
    this.memberId = null;
    this.role = null;
    this.relayOnly = null;
    this.name = null;
    this.members = new Map();        // memberId → member
    this.memberships = new Map();    // userId → {userId, name, role, presence}
    this.messages = [];              // by id, oldest first
    this.hasOlder = true;
    this.readMarker = 0;
    this._typing = new Map();        // memberId → expiry timer
    this.typingExpiryMs = TYPING_EXPIRY_MS;
    this._pending = new Map();       // clientMsgId → {clientMsgId, text, replyTo, resolve, reject, tries}
    this._typingSentAt = 0;
    this._typingIdle = null;
    this._typingActive = false;
    this._rejoining = false;
    client.addEventListener('welcome', (e) => this._onWelcome(e.detail));
  }

  async join() {
    const joined = await this.client.request({ type: 'room.join', roomId: this.id });
    this._applyJoined(joined);
    return this;
  }

  async leave() {
    this._wantJoined = false;
    await this.client.request({ type: 'room.leave', roomId: this.id });
    this._left();
  }

  _applyJoined(j) {
    this.joined = true;
    this._wantJoined = true;
    this.memberId = j.memberId;
    this.role = j.role;
    this.relayOnly = j.relayOnly === true;
    this.members = new Map((j.members || []).map((m) => [m.memberId, m]));
    this.memberships = new Map((j.memberships || []).map((m) => [m.userId, m]));
    emit(this, 'joined', { room: this });
    emit(this, 'members', { members: this.memberList() });
    this._flushPending();
  }

  _left() {
    this.joined = false;
    for (const p of Array.from(this._pending.values())) { if (p.ackedId !== undefined) { this._settle(p); } }
    for (const t of this._typing.values()) { clearTimeout(t); }
    this._typing.clear();
    emit(this, 'left', {});
  }

  memberList() { return Array.from(this.members.values()); }

  /** Member ids of the others typing now. */
  get typing() { return Array.from(this._typing.keys()); }

  /** Messages not acknowledged yet (shown as sending): [{clientMsgId, text, replyTo}]. */
  get pending() {
    return Array.from(this._pending.values()).map((p) => ({ clientMsgId: p.clientMsgId, text: p.text, replyTo: p.replyTo }));
  }

  /**
   * Sends a message; resolves with the ack ({messageId, ts, duplicate}) once the room stored it. It is kept
   * and sent again with the same clientMsgId after every lost connection or new session until acknowledged:
   * the room answers a repeat with the original id, so the message is stored and delivered once.
   */
  send(text, { replyTo, clientMsgId } = {}) {
    const id = clientMsgId || newId('m');
    return new Promise((resolve, reject) => {
      const p = { clientMsgId: id, text: String(text), replyTo, resolve, reject, tries: 0, inFlight: false };
      this._pending.set(id, p);
      emit(this, 'pending', { pending: this.pending });
      this._stopTypingLocal();
      this._trySend(p);
    });
  }

  _settle(p) {
    if (this._pending.delete(p.clientMsgId)) { emit(this, 'pending', { pending: this.pending }); }
  }

  /** Acknowledged messages whose copy has arrived (live or by history) leave the pending list. */
  _settleArrived() {
    const ids = new Set(this.messages.map((m) => m.id));
    for (const p of Array.from(this._pending.values())) {
      if (p.ackedId !== undefined && ids.has(p.ackedId)) { this._settle(p); }
    }
  }

  _trySend(p) {
    if (p.inFlight || p.ackedId !== undefined || !this._pending.has(p.clientMsgId)) { return; }
    if (this.client.state !== 'connected' || !this.joined) { return; }   // _flushPending sends it later
    p.inFlight = true;
    p.tries++;
    const msg = { type: 'chat.send', roomId: this.id, clientMsgId: p.clientMsgId, text: p.text };
    if (p.replyTo !== undefined) { msg.replyTo = p.replyTo; }
    this.client.request(msg).then((ack) => {
      p.inFlight = false;
      // The own copy (chat.message) follows the ack; until it is here the message stays listed as pending, so
      // a view never shows it missing in between.
      p.ackedId = ack.messageId;
      if (this.messages.some((m) => m.id === ack.messageId)) { this._settle(p); }
      p.resolve({ messageId: ack.messageId, ts: ack.ts, duplicate: ack.duplicate === true, clientMsgId: p.clientMsgId });
    }, (err) => {
      p.inFlight = false;
      if (!isRetriable(err)) {
        this._pending.delete(p.clientMsgId);
        emit(this, 'pending', { pending: this.pending });
        p.reject(err);
        return;
      }
      if (err.code !== 'disconnected') {
        // Storage away or the rate limit: the connection is fine, so wait before the same message again.
        setTimeout(() => this._trySend(p), backoffDelay(Math.min(p.tries, 6), { baseMs: 500, maxMs: 15000 }));
      }
      // disconnected: the next welcome (resume or new session) sends it again.
    });
  }

  _flushPending() {
    for (const p of this._pending.values()) { this._trySend(p); }
  }

  async _onWelcome({ resumed }) {
    if (!this._wantJoined) { return; }
    if (resumed) {
      this._flushPending();
      return;
    }
    // A new session: the old one's membership is gone; join again and fetch what was missed.
    this.joined = false;
    try {
      await this.join();
      await this.loadNewer();
    } catch (e) {
      emit(this.client, 'error', { error: e });
    }
  }

  /** Loads a page of older messages (scroll-back); resolves with them. `hasOlder` says if more exist. */
  async loadOlder(limit = 50) {
    const msg = { type: 'chat.history', roomId: this.id, limit };
    if (this.messages.length) { msg.before = this.messages[0].id; }
    const r = await this.client.request(msg);
    this.hasOlder = r.hasMore === true;
    const added = this._merge(r.messages || []);
    emit(this, 'history', { messages: added, direction: 'older' });
    return added;
  }

  /** Loads what arrived after the newest known message (after a new session); pages until done. */
  async loadNewer(limit = 100) {
    let added = [];
    for (let i = 0; i < 50; i++) {
      const msg = { type: 'chat.history', roomId: this.id, limit };
      if (this.messages.length) { msg.after = this.messages[this.messages.length - 1].id; }
      const r = await this.client.request(msg);
      const page = this._merge(r.messages || []);
      added = added.concat(page);
      if (!this.messages.length || r.hasMore !== true) { break; }
    }
    emit(this, 'history', { messages: added, direction: 'newer' });
    return added;
  }

  /** Inserts messages by id (a message already known is replaced); returns the ones that were new. */
  _merge(list) {
    const byId = new Map(this.messages.map((m) => [m.id, m]));
    const added = [];
    for (const m of list) {
      if (!byId.has(m.id)) { added.push(m); }
      byId.set(m.id, m);
    }
    this.messages = Array.from(byId.values()).sort((a, b) => a.id - b.id);
    if (added.length) { this._settleArrived(); }
    return added;
  }

  edit(messageId, text, reason) {
    const msg = { type: 'chat.edit', roomId: this.id, messageId, text: String(text) };
    if (reason) { msg.reason = reason; }
    return this.client.request(msg);
  }

  delete(messageId, reason) {
    const msg = { type: 'chat.delete', roomId: this.id, messageId };
    if (reason) { msg.reason = reason; }
    return this.client.request(msg);
  }

  /**
   * Names a new room, which keeps it (room.name; its owner, once). Not `name()`: `name` is the room's name.
   */
  setName(name) { return this._set({ type: 'room.name', roomId: this.id, name: String(name) }, () => { this.name = String(name).trim(); }); }

  /** Renames a kept room (room.rename; owners and admins); every member gets `renamed`. */
  rename(name) { return this._set({ type: 'room.rename', roomId: this.id, name: String(name) }, () => { this.name = String(name).trim(); }); }

  /** Closes the room for everyone (room.close; its owners): the others get `closed`, this Room is left. */
  close() {
    return this._set({ type: 'room.close', roomId: this.id }, () => { this._wantJoined = false; this._left(); });
  }

  /** The room's call mode for the next call (room.settings): true sends calls through the server's relay only. */
  setRelayOnly(on) { return this._set({ type: 'room.settings', roomId: this.id, relayOnly: !!on }, () => { this.relayOnly = !!on; }); }

  /** Removes a user from the room (room.kick; see PROTOCOL.md § Rights); `reason` is optional. */
  kick(userId, reason) {
    const msg = { type: 'room.kick', roomId: this.id, userId };
    if (reason) { msg.reason = String(reason); }
    return this._set(msg);
  }

  /** Gives a member the role 'owner', 'admin' or 'member' (room.role). */
  setRole(userId, role) { return this._set({ type: 'room.role', roomId: this.id, userId, role }); }

  async _set(msg, then) {
    const r = await this.client.request(msg);
    if (then) { then(); }
    return r;
  }

  /** Moves this user's read marker forward (never back: a lower id changes nothing). */
  markRead(messageId) {
    if (!(messageId > this.readMarker)) { return Promise.resolve(); }
    this.readMarker = messageId;
    // The server tells only the user's other sessions; this one learns it here (room lists clear their badge).
    return this.client.request({ type: 'chat.read', roomId: this.id, messageId })
      .then((r) => { emit(this.client, 'read', { roomId: this.id, messageId }); return r; });
  }

  /**
   * Call on every keystroke: sends `typing` active at most every TYPING_RENEW_MS and stops by itself after
   * TYPING_IDLE_MS without a keystroke, so a burst of keys is one or two frames, not one per key.
   */
  typingActivity(now = Date.now()) {
    clearTimeout(this._typingIdle);
    this._typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
    if (this._typingActive && now - this._typingSentAt < TYPING_RENEW_MS) { return false; }
    this._typingActive = true;
    this._typingSentAt = now;
    this.client.notify({ type: 'typing', roomId: this.id, active: true });
    return true;
  }

  stopTyping() {
    clearTimeout(this._typingIdle);
    if (!this._typingActive) { return; }
    this._typingActive = false;
    this.client.notify({ type: 'typing', roomId: this.id, active: false });
  }

  // Sending a message ends typing on the server by itself.
  _stopTypingLocal() {
    clearTimeout(this._typingIdle);
    this._typingActive = false;
  }

  _setTyping(memberId, active) {
    clearTimeout(this._typing.get(memberId));
    if (active && memberId !== this.memberId) {
      this._typing.set(memberId, setTimeout(() => this._setTyping(memberId, false), this.typingExpiryMs));
    } else if (this._typing.has(memberId)) {
      this._typing.delete(memberId);
    } else {
      return;
    }
    emit(this, 'typing', { typing: this.typing });
  }

  _presence(userId, presence) {
    const m = this.memberships.get(userId);
    if (m) { m.presence = presence; }
  }

  _onEvent(ev) {
    switch (ev.type) {
      case 'member.joined':
        this.members.set(ev.member.memberId, ev.member);
        if (!this.memberships.has(ev.member.userId) && this.memberships.size) {
          this.memberships.set(ev.member.userId, { userId: ev.member.userId, name: ev.member.displayName, role: 'member', presence: 'online' });
        }
        this._presence(ev.member.userId, 'online');
        this._memberChange(ev.member, 'joined');
        break;
      case 'member.left': {
        const m = this.members.get(ev.memberId);
        this.members.delete(ev.memberId);
        this._setTyping(ev.memberId, false);
        if (m && !this.memberList().some((o) => o.userId === m.userId)) { this._presence(m.userId, 'offline'); }
        this._memberChange(m || { memberId: ev.memberId }, 'left', ev.reason);
        break;
      }
      case 'member.reconnecting':
      case 'member.back': {
        const m = this.members.get(ev.memberId);
        const state = ev.type === 'member.back' ? 'online' : 'reconnecting';
        if (m) { m.state = state; this._presence(m.userId, state); }
        if (state === 'reconnecting') { this._setTyping(ev.memberId, false); }
        this._memberChange(m || { memberId: ev.memberId }, ev.type === 'member.back' ? 'back' : 'reconnecting');
        break;
      }
      case 'member.updated':
        this.members.set(ev.member.memberId, ev.member);
        this._memberChange(ev.member, 'updated');
        break;
      case 'member.typing':
        this._setTyping(ev.memberId, ev.active === true);
        break;
      case 'chat.message': {
        this._setTyping(ev.message.fromMemberId, false);
        const added = this._merge([ev.message]);
        this._settleArrived();
        if (added.length) { emit(this, 'message', { message: ev.message }); }
        break;
      }
      case 'chat.edited':
        this._merge([ev.message]);
        emit(this, 'edited', { message: ev.message });
        break;
      case 'chat.deleted': {
        const m = this.messages.find((x) => x.id === ev.messageId);
        if (m) { m.text = ''; m.deleted = true; m.deletedBy = ev.deletedBy; if (ev.reason) { m.deleteReason = ev.reason; } }
        emit(this, 'deleted', { messageId: ev.messageId, deletedBy: ev.deletedBy, reason: ev.reason });
        break;
      }
      case 'chat.read':
        if (ev.messageId > this.readMarker) { this.readMarker = ev.messageId; }
        emit(this, 'read', { messageId: ev.messageId });
        break;
      case 'room.renamed':
        this.name = ev.name;
        emit(this, 'renamed', { name: ev.name, by: ev.by });
        break;
      case 'room.settings':
        this.relayOnly = ev.relayOnly === true;
        emit(this, 'settings', { relayOnly: this.relayOnly, by: ev.by });
        break;
      case 'room.role':
        for (const m of this.members.values()) { if (m.userId === ev.userId) { m.role = ev.role; } }
        if (this.memberships.has(ev.userId)) { this.memberships.get(ev.userId).role = ev.role; }
        if (ev.userId === this.client.userId) { this.role = ev.role; }
        emit(this, 'role', { userId: ev.userId, role: ev.role, by: ev.by });
        emit(this, 'members', { members: this.memberList() });
        break;
      case 'room.kicked':
        if (ev.userId === this.client.userId) {
          // This session is out of the room: it must not join again by itself.
          this._wantJoined = false;
          this._left();
          emit(this, 'kicked', { by: ev.by, reason: ev.reason });
        } else {
          for (const [id, m] of Array.from(this.members)) {
            if (m.userId === ev.userId) { this.members.delete(id); this._setTyping(id, false); }
          }
          this.memberships.delete(ev.userId);
          emit(this, 'members', { members: this.memberList() });
        }
        break;
      case 'room.closed':
        this._wantJoined = false;
        this._left();
        emit(this, 'closed', { by: ev.by });
        break;
      default:
        if (ev.type.startsWith('live.')) { emit(this, 'live', { event: ev }); }
        break;
    }
  }

  _memberChange(member, change, reason) {
    emit(this, 'member', { member, change, reason });
    emit(this, 'members', { members: this.memberList() });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Call

/**
 * Of two call participants, the one that joined the call later offers (PROTOCOL.md § Who offers). The joiner
 * offers to every peer listed in its live.call; a peer announced by live.joined offers to us.
 */
export function offersTo(source) {
  return source === 'live.call';
}

/** Speaking detection: level above this (0..1 RMS) for SPEAK_ON_MS starts speaking, below for SPEAK_OFF_MS ends it. */
export const SPEAK_LEVEL = 0.04;
export const SPEAK_ON_MS = 150;
export const SPEAK_OFF_MS = 800;

/** User gestures that let a suspended AudioContext resume under the browsers' autoplay policies. */
const GESTURES = ['pointerdown', 'keydown', 'touchend'];

/** Hysteresis over sampled levels: a cough is not speech, a breath between words does not end it. */
export class SpeakingDetector {
  constructor() { this.speaking = false; this._since = null; }
  /** Feeds one level sample; returns true when `speaking` changed. */
  sample(level, now) {
    const loud = level >= SPEAK_LEVEL;
    if (loud === this.speaking) { this._since = null; return false; }
    if (this._since === null) { this._since = now; }
    if (now - this._since >= (loud ? SPEAK_ON_MS : SPEAK_OFF_MS)) {
      this.speaking = loud;
      this._since = null;
      return true;
    }
    return false;
  }
}

/**
 * The room's live call from this side: one RTCPeerConnection per peer, trickle ICE, the who-offers rule, ICE
 * restart after a resume, pushed (and, as a fallback, requested) TURN credentials, and media state. Events:
 * `joined` {relayOnly, iceTransportPolicy}, `peer` {memberId, peer}, `stream` {memberId, stream},
 * `peerleft` {memberId, reason}, `state` {memberId, muted, camera, speaking} (also for yourself, memberId
 * null), `left`, `error` {error}.
 */
export class Call extends EventTarget {
  /**
   * @param {Room} room
   * @param {object} options  stream: a MediaStream to send (else getUserMedia with `constraints`);
   *   constraints; RTCPeerConnection, mediaDevices, AudioContext: injectable; speaking: false to not detect.
   */
  constructor(room, options = {}) {
    super();
    this.room = room;
    this.client = room.client;
    this.options = options;
    this._RTC = options.RTCPeerConnection || (typeof RTCPeerConnection !== 'undefined' ? RTCPeerConnection : null);
    this.peers = new Map();           // memberId → {memberId, pc, offerer, queued, stream, state, displayName}
    this.stream = options.stream || null;
    this.ice = null;
    this.active = false;
    this.muted = false;
    this.camera = true;
    this.speaking = false;
    this._chain = Promise.resolve();
    this._refresh = null;
    this._onLive = (e) => { this._chain = this._chain.then(() => this._onEvent(e.detail.event)).catch((err) => emit(this, 'error', { error: err })); };
  }

  get relayOnly() { return this.ice ? this.ice.iceTransportPolicy === 'relay' : this.room.relayOnly; }

  /** Starts the camera and microphone (unless a stream was given) and joins the room's call. */
  async join() {
    if (this.active) { return this; }
    if (!this.stream) {
      const md = this.options.mediaDevices || (typeof navigator !== 'undefined' && navigator.mediaDevices);
      if (!md || !md.getUserMedia) {
        throw new PresenceError('no_media', 'camera and microphone need a secure context (https:// or this machine)');
      }
      this.stream = await md.getUserMedia(this.options.constraints || { audio: true, video: { width: 640, height: 360 } });
      this._ownStream = true;
    }
    this.room.addEventListener('live', this._onLive);
    // A new session (the old one expired) or leaving the room ends this side of the call.
    this._end = () => { if (this.active) { this._teardown(); } };
    this.client.addEventListener('session', this._end);
    this.room.addEventListener('left', this._end);
    const call = await this.client.request({ type: 'live.join', roomId: this.room.id });
    this.active = true;
    this._applyIce(call.ice);
    this.camera = this.stream.getVideoTracks().some((t) => t.enabled);
    emit(this, 'joined', { relayOnly: call.relayOnly === true, iceTransportPolicy: call.ice && call.ice.iceTransportPolicy });
    for (const p of call.peers || []) {
      const peer = this._peer(p.memberId, offersTo('live.call'), p);
      this._chain = this._chain.then(() => this._offer(peer, false));
    }
    this._startSpeaking();
    this._sendState({ muted: this.muted, camera: this.camera });
    await this._chain;
    return this;
  }

  async leave() {
    if (!this.active) { return; }
    this.active = false;
    try { await this.client.request({ type: 'live.leave', roomId: this.room.id }); } catch (e) { /* out either way */ }
    this._teardown();
  }

  _teardown() {
    this.active = false;
    this.room.removeEventListener('live', this._onLive);
    if (this._end) {
      this.client.removeEventListener('session', this._end);
      this.room.removeEventListener('left', this._end);
    }
    clearTimeout(this._refresh);
    for (const id of Array.from(this.peers.keys())) { this._drop(id, 'left'); }
    if (this._speakTimer) { clearInterval(this._speakTimer); this._speakTimer = null; }
    if (this._unwatchGestures) { this._unwatchGestures(); this._unwatchGestures = null; }
    if (this._audio) { this._audio.close().catch(() => {}); this._audio = null; }
    if (this._ownStream && this.stream) { this.stream.getTracks().forEach((t) => t.stop()); this.stream = null; }
    emit(this, 'left', {});
  }

  setMuted(muted) {
    this.muted = !!muted;
    if (this.stream) { this.stream.getAudioTracks().forEach((t) => { t.enabled = !this.muted; }); }
    if (this.muted && this.speaking) { this.speaking = false; }
    return this._sendState({ muted: this.muted, speaking: this.speaking });
  }

  setCamera(on) {
    this.camera = !!on;
    if (this.stream) { this.stream.getVideoTracks().forEach((t) => { t.enabled = this.camera; }); }
    return this._sendState({ camera: this.camera });
  }

  _sendState(fields) {
    emit(this, 'state', { memberId: null, muted: this.muted, camera: this.camera, speaking: this.speaking });
    if (!this.active) { return Promise.resolve(); }
    return this.client.request(Object.assign({ type: 'live.state', roomId: this.room.id }, fields)).catch((e) => emit(this, 'error', { error: e }));
  }

  _applyIce(ice) {
    if (!ice) { return; }
    this.ice = ice;
    // The server pushes fresh credentials at 80 % of their lifetime; should that push be lost with a
    // connection that also lost its replay, ask at 90 %.
    clearTimeout(this._refresh);
    const ttl = Number(ice.ttlSeconds) || 600;
    this._refresh = setTimeout(() => {
      if (!this.active) { return; }
      this.client.request({ type: 'live.credentials', roomId: this.room.id })
        .then((r) => this._setIce(r.ice)).catch((e) => emit(this, 'error', { error: e }));
    }, ttl * 900);
  }

  _setIce(ice) {
    this._applyIce(ice);
    for (const p of this.peers.values()) { p.pc.setConfiguration(this._config()); }
  }

  _config() {
    return { iceServers: this.ice.iceServers, iceTransportPolicy: this.ice.iceTransportPolicy };
  }

  _peer(memberId, offerer, info) {
    let p = this.peers.get(memberId);
    if (p) { return p; }
    const pc = new this._RTC(this._config());
    p = { memberId, pc, offerer, queued: [], stream: null, displayName: info && info.displayName,
      state: { muted: !!(info && info.muted), camera: !!(info && info.camera), speaking: !!(info && info.speaking) } };
    this.peers.set(memberId, p);
    if (this.stream) { this.stream.getTracks().forEach((t) => pc.addTrack(t, this.stream)); }
    pc.onicecandidate = (e) => {
      if (e.candidate && e.candidate.candidate) {
        this._signal(memberId, { kind: 'candidate', candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid,
          sdpMLineIndex: e.candidate.sdpMLineIndex });
      } else if (!e.candidate) {
        this._signal(memberId, { kind: 'end-of-candidates' });
      }
    };
    pc.ontrack = (e) => {
      const stream = e.streams && e.streams[0];
      if (stream && p.stream !== stream) { p.stream = stream; emit(this, 'stream', { memberId, stream }); }
    };
    emit(this, 'peer', { memberId, peer: p });
    return p;
  }

  _drop(memberId, reason) {
    const p = this.peers.get(memberId);
    if (!p) { return; }
    p.pc.close();
    this.peers.delete(memberId);
    emit(this, 'peerleft', { memberId, reason });
  }

  _signal(to, fields) {
    const msg = Object.assign({ type: 'live.signal', roomId: this.room.id, to }, fields);
    if (msg.sdpMid === null || msg.sdpMid === undefined) { delete msg.sdpMid; }
    if (msg.sdpMLineIndex === null || msg.sdpMLineIndex === undefined) { delete msg.sdpMLineIndex; }
    return this.client.request(msg).catch((e) => emit(this, 'error', { error: e }));
  }

  async _offer(p, restart) {
    const o = await p.pc.createOffer(restart ? { iceRestart: true } : {});
    await p.pc.setLocalDescription(o);
    const fields = { kind: 'offer', sdp: p.pc.localDescription.sdp };
    if (restart) { fields.iceRestart = true; }
    await this._signal(p.memberId, fields);
  }

  async _flush(p) {
    for (const c of p.queued.splice(0)) { await p.pc.addIceCandidate(c); }
  }

  async _onEvent(ev) {
    if (!this.active) { return; }
    switch (ev.type) {
      case 'live.joined':
        this._peer(ev.peer.memberId, offersTo('live.joined'), ev.peer);   // the newcomer offers to us
        break;
      case 'live.left':
        this._drop(ev.memberId, ev.reason);
        break;
      case 'live.state': {
        const p = this.peers.get(ev.memberId);
        if (p) { p.state = { muted: !!ev.muted, camera: !!ev.camera, speaking: !!ev.speaking }; }
        emit(this, 'state', { memberId: ev.memberId, muted: !!ev.muted, camera: !!ev.camera, speaking: !!ev.speaking });
        break;
      }
      case 'live.credentials':
        // "expiring": new allocations use them; "resumed": the network may have changed, so ICE restarts
        // (the newer peer of each pair offers, the older asks it to).
        this._setIce(ev.ice);
        if (ev.reason === 'resumed') {
          for (const p of this.peers.values()) {
            if (p.offerer) { await this._offer(p, true); } else { await this._signal(p.memberId, { kind: 'restart' }); }
          }
        }
        break;
      case 'live.signal': {
        const p = this._peer(ev.from, false);
        if (ev.kind === 'offer') {
          await p.pc.setRemoteDescription({ type: 'offer', sdp: ev.sdp });
          await this._flush(p);
          await p.pc.setLocalDescription(await p.pc.createAnswer());
          await this._signal(p.memberId, { kind: 'answer', sdp: p.pc.localDescription.sdp });
        } else if (ev.kind === 'answer') {
          await p.pc.setRemoteDescription({ type: 'answer', sdp: ev.sdp });
          await this._flush(p);
        } else if (ev.kind === 'candidate') {
          const c = { candidate: ev.candidate, sdpMid: ev.sdpMid, sdpMLineIndex: ev.sdpMLineIndex };
          if (p.pc.remoteDescription) { await p.pc.addIceCandidate(c); } else { p.queued.push(c); }
        } else if (ev.kind === 'restart' && p.offerer) {
          await this._offer(p, true);
        }
        break;
      }
      default:
        break;
    }
  }

  /**
   * The AudioContext is made after awaiting the microphone, so outside the gesture that started the call: autoplay
   * policies (Safari; Chrome when the page had no gesture yet) leave it suspended, and a suspended analyser reads
   * silence, so nobody would ever be seen speaking. Ask to resume at once, and again on each click or key press while
   * it is still suspended (or suspended again, as when a phone call interrupts it).
   */
  _keepAudioRunning() {
    const ctx = this._audio;
    const doc = typeof document !== 'undefined' ? document : null;
    if (!ctx || typeof ctx.resume !== 'function') { return; }
    const resume = () => {
      if (this._audio !== ctx) { return; }
      if (ctx.state === 'running' || ctx.state === 'closed') { unwatch(); return; }
      ctx.resume().catch(() => {});
      if (doc && !this._onGesture) {
        this._onGesture = resume;
        for (const type of GESTURES) { doc.addEventListener(type, resume, true); }
      }
    };
    const unwatch = () => {
      if (doc && this._onGesture) {
        for (const type of GESTURES) { doc.removeEventListener(type, this._onGesture, true); }
      }
      this._onGesture = null;
    };
    this._unwatchGestures = unwatch;
    if (typeof ctx.addEventListener === 'function') { ctx.addEventListener('statechange', resume); }
    resume();
  }

  /** Local microphone level → `speaking` in the media state, so every participant can ring the speaker. */
  _startSpeaking() {
    if (this.options.speaking === false || !this.stream || !this.stream.getAudioTracks().length) { return; }
    const AC = this.options.AudioContext || (typeof AudioContext !== 'undefined' ? AudioContext : null);
    if (!AC) { return; }
    try {
      this._audio = new AC();
      this._keepAudioRunning();
      const source = this._audio.createMediaStreamSource(this.stream);
      const analyser = this._audio.createAnalyser();
      analyser.fftSize = 512;
      source.connect(analyser);
      const buf = new Float32Array(analyser.fftSize);
      const detector = new SpeakingDetector();
      this._speakTimer = setInterval(() => {
        analyser.getFloatTimeDomainData(buf);
        let sum = 0;
        for (const v of buf) { sum += v * v; }
        const level = this.muted ? 0 : Math.sqrt(sum / buf.length);
        if (detector.sample(level, Date.now())) {
          this.speaking = detector.speaking;
          this._sendState({ speaking: this.speaking });
        }
      }, 100);
    } catch (e) {
      emit(this, 'error', { error: e });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Invites

/**
 * Thin wrappers of the invite requests (PROTOCOL.md § Invites and guests). A guest signs in with an invite through
 * `auth: {provider: 'guest', invite, displayName}` instead.
 */
export class Invites {
  constructor(client) { this.client = client; }

  /**
   * kind: 'public' (any number of uses), 'single' (one use) or 'targeted' (for `userId`); optional `ttl` in
   * seconds. Resolves with {inviteId, token, url, expiresAt, …}; the token is shown only this once. A relative
   * `url` is resolved against the appliance this client talks to.
   */
  async create(roomId, kind = 'single', { userId, ttl } = {}) {
    if (kind !== 'public' && kind !== 'single' && kind !== 'targeted') {
      throw new TypeError("kind must be 'public', 'single' or 'targeted'");
    }
    const msg = { type: 'invite.create', roomId, kind };
    if (userId !== undefined) { msg.userId = userId; }
    if (ttl !== undefined) { msg.ttl = ttl; }
    const r = await this.client.request(msg);
    if (typeof r.url === 'string' && r.url.startsWith('/')) { r.url = httpUrl(this.client.url, r.url); }
    return r;
  }

  /** The room's invites (no tokens): [{inviteId, kind, createdBy, createdAt, expiresAt, uses, revoked}]. */
  async list(roomId) {
    const r = await this.client.request({ type: 'invite.list', roomId });
    return r.invites || [];
  }

  revoke(roomId, inviteId) {
    return this.client.request({ type: 'invite.revoke', roomId, inviteId });
  }

  /** Makes this user a member of the invite's room; resolves with {roomId, name}; then join the room. */
  redeem(token) {
    return this.client.request({ type: 'invite.redeem', token });
  }

  /** Targeted invites waiting for this user (new ones also arrive as the client event `invite.received`). */
  async pending() {
    const r = await this.client.request({ type: 'invite.pending' });
    return r.invites || [];
  }

  accept(inviteId) { return this.client.request({ type: 'invite.accept', inviteId }); }

  decline(inviteId) { return this.client.request({ type: 'invite.decline', inviteId }); }
}

/** A path on the appliance as an http(s) URL, from the WebSocket URL the client uses. */
export function httpUrl(wsUrl, path) {
  try {
    const u = new URL(path, wsUrl);
    u.protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
    return u.href;
  } catch (e) {
    return path;
  }
}
