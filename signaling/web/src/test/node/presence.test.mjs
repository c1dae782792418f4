// Unit tests of the SDK's protocol logic against a scripted fake server (no browser, no network):
// node --test signaling/web/src/test/node (NodeUnitTest runs them in the Maven build).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  PresenceClient, PresenceError, Room, Call, SeqTracker, backoffDelay, base64url, sha256, avatarPath, splitLinks, offersTo,
  SpeakingDetector, TYPING_EXPIRY_MS, TYPING_RENEW_MS,
} from '../../main/resources/web/sdk/presence.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, ms = 2000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = fn();
    if (v) { return v; }
    await tick(2);
  }
  throw new Error('timed out waiting for ' + what);
}

/**
 * A fake appliance: each socket the client opens is recorded; `reply` answers a request frame by its
 * requestId; `event` pushes an event with the session's next seq. Handlers decide answers per message type.
 */
class FakeServer {
  constructor() {
    this.sockets = [];
    this.seq = 0;
    this.tokens = 0;
    this.handlers = {
      hello: (m) => ({ type: 'welcome', version: 1, sessionId: 'S1', userId: 'dev:Ann',
        resumeToken: 'T' + (++this.tokens), resumed: !!m.resume, lastSeq: this.seq, pingIntervalMs: 15000, limits: {} }),
    };
    const server = this;
    this.WebSocket = class {
      constructor(url) {
        this.url = url;
        this.sent = [];
        this.closed = false;
        server.sockets.push(this);
        setTimeout(() => { if (!this.closed && this.onopen) { this.onopen(); } }, 0);
      }
      send(data) {
        if (this.closed) { throw new Error('closed'); }
        const m = JSON.parse(data);
        this.sent.push(m);
        const h = server.handlers[m.type];
        if (h) {
          const r = h(m, this);
          if (r) { setTimeout(() => this.deliver(Object.assign({ requestId: m.requestId }, r)), 0); }
        }
      }
      deliver(frame) { if (!this.closed && this.onmessage) { this.onmessage({ data: JSON.stringify(frame) }); } }
      close() { this.closed = true; }
      drop() { this.closed = true; if (this.onclose) { this.onclose({}); } }
    };
  }
  get ws() { return this.sockets[this.sockets.length - 1]; }
  event(event, seq = ++this.seq) { this.ws.deliver({ type: 'event', seq, event }); }
  sent(type) { return this.sockets.flatMap((s) => s.sent).filter((m) => m.type === type); }
}

// Every client and call a test made is shut at its end, so no watchdog or refresh timer keeps node alive.
const made = [];
afterEach(() => {
  for (const x of made.splice(0)) {
    if (x instanceof Call) { if (x.active) { x._teardown(); } } else { x._shutdown('closed'); }
  }
});

function client(server, extra = {}) {
  return track2(new PresenceClient(Object.assign({ url: 'ws://x/ws', WebSocket: server.WebSocket, window: null,
    auth: { provider: 'dev', displayName: 'Ann' }, reconnect: { baseMs: 1, maxMs: 4 } }, extra)));
}

function track2(x) { made.push(x); return x; }

test('hello carries the auth and version; welcome opens the session and the state says connected', async () => {
  const s = new FakeServer();
  const c = client(s);
  const states = [];
  c.addEventListener('statechange', (e) => states.push(e.detail.state));
  const welcome = await c.connect();
  assert.equal(welcome.sessionId, 'S1');
  const hello = s.sent('hello')[0];
  assert.deepEqual(hello.auth, { provider: 'dev', displayName: 'Ann' });
  assert.equal(hello.version, 1);
  assert.equal(typeof hello.requestId, 'string');
  assert.deepEqual(states, ['connecting', 'connected']);
  assert.equal(c.userId, 'dev:Ann');
});

test('requests are correlated by requestId, also when answered out of order; errors carry the code', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers['room.join'] = () => null;           // answered by hand below
  const a = c.request({ type: 'room.join', roomId: 'A' });
  const b = c.request({ type: 'room.join', roomId: 'B' });
  const [ra, rb] = s.sent('room.join');
  assert.notEqual(ra.requestId, rb.requestId);
  s.ws.deliver({ type: 'error', requestId: rb.requestId, code: 'unknown_room', message: 'no such room' });
  s.ws.deliver({ type: 'room.joined', requestId: ra.requestId, roomId: 'A', members: [] });
  assert.equal((await a).roomId, 'A');
  await assert.rejects(b, (e) => e instanceof PresenceError && e.code === 'unknown_room' && e.message === 'no such room');
});

test('limit errors keep their limit name', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers['chat.history'] = () => ({ type: 'error', code: 'limit_exceeded', limit: 'message_rate', message: 'slow down' });
  await assert.rejects(c.request({ type: 'chat.history', roomId: 'r' }), (e) => e.code === 'limit_exceeded' && e.limit === 'message_rate');
});

test('the server ping is answered with pong', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.ws.deliver({ type: 'ping' });
  assert.equal(s.sent('pong').length, 1);
});

test('seq: duplicates are dropped, the resume asks after the last seen seq, the replay is seen once', async () => {
  const t = new SeqTracker();
  assert.equal(t.accept(1), true);
  assert.equal(t.accept(2), true);
  assert.equal(t.accept(2), false);
  assert.equal(t.accept(1), false);
  assert.equal(t.lastSeq, 2);

  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  const seen = [];
  c.addEventListener('event', (e) => seen.push(e.detail.seq));
  s.event({ type: 'member.typing', roomId: 'r', memberId: 'm', active: true });
  s.event({ type: 'member.typing', roomId: 'r', memberId: 'm', active: false });
  const states = [];
  c.addEventListener('statechange', (e) => states.push(e.detail.state));
  s.ws.drop();
  await until('resume', () => s.sent('hello').length === 2 && c.state === 'connected');
  const resume = s.sent('hello')[1];
  assert.deepEqual(resume.resume, { token: 'T1', lastSeq: 2 });
  assert.equal(resume.auth, undefined);
  // The server replays 2 (already seen: the socket died after it arrived) and 3.
  s.event({ type: 'member.typing', roomId: 'r', memberId: 'm', active: true }, 2);
  s.event({ type: 'member.typing', roomId: 'r', memberId: 'm', active: true }, 3);
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(states, ['reconnecting', 'connected']);
  // Every resume uses the newest token: a token works once.
  s.ws.drop();
  await until('second resume', () => s.sent('hello').length === 3 && c.state === 'connected');
  assert.equal(s.sent('hello')[2].resume.token, 'T2');
});

test('resume_failed starts a new session with the auth, and rooms join again and fetch what they missed', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers['room.join'] = (m) => ({ type: 'room.joined', roomId: m.roomId, memberId: 'me', role: 'member', relayOnly: false, members: [] });
  s.handlers['chat.history'] = (m) => ({ type: 'chat.history', roomId: m.roomId, hasMore: false,
    messages: m.after === 5 ? [{ id: 6, ts: 1, fromMemberId: 'o', fromUserId: 'dev:Bob', fromName: 'Bob', text: 'missed' }] : [] });
  const room = await c.joinRoom('R');
  s.event({ type: 'chat.message', roomId: 'R', message: { id: 5, ts: 0, fromMemberId: 'o', fromUserId: 'dev:Bob', fromName: 'Bob', text: 'x' } });
  s.handlers.hello = (m) => (m.resume
    ? { type: 'error', code: 'resume_failed', message: 'unknown token' }
    : { type: 'welcome', version: 1, sessionId: 'S2', userId: 'dev:Ann', resumeToken: 'N1', resumed: false, lastSeq: 0, limits: {} });
  let newSession = false;
  c.addEventListener('session', () => { newSession = true; });
  s.ws.drop();
  await until('rejoin and catch up', () => room.messages.length === 2);
  assert.equal(newSession, true);
  assert.equal(c.sessionId, 'S2');
  assert.equal(c.seq.lastSeq, 0, 'a new session numbers its events from 1');
  assert.equal(s.sent('room.join').length, 2);
  assert.deepEqual(room.messages.map((m) => m.text), ['x', 'missed']);
});

test('server_draining at hello is retried after the back-off, not taken as refused credentials', async () => {
  const s = new FakeServer();
  let n = 0;
  const ok = s.handlers.hello;
  s.handlers.hello = (m, ws) => {
    if (++n === 1) { setTimeout(() => ws.drop(), 1); return { type: 'error', code: 'server_draining', message: 'draining' }; }
    return ok(m);
  };
  const c = client(s);
  const welcome = await c.connect();
  assert.equal(welcome.sessionId, 'S1');
  assert.equal(s.sent('hello').length, 2);
});

test('auth_failed rejects connect and stops: no retry loop against the sign-in throttle', async () => {
  const s = new FakeServer();
  s.handlers.hello = () => ({ type: 'error', code: 'auth_failed', message: 'bad token' });
  const c = client(s);
  await assert.rejects(c.connect(), (e) => e.code === 'auth_failed');
  await tick(20);
  assert.equal(s.sent('hello').length, 1);
  assert.equal(c.state, 'offline');
});

test('back-off: doubles per attempt up to the cap, jittered between half and all of the step', () => {
  const opts = { baseMs: 500, maxMs: 30000 };
  assert.equal(backoffDelay(0, opts, () => 0), 250);
  assert.equal(backoffDelay(0, opts, () => 1), 500);
  assert.equal(backoffDelay(1, opts, () => 1), 1000);
  assert.equal(backoffDelay(3, opts, () => 1), 4000);
  assert.equal(backoffDelay(20, opts, () => 1), 30000);
  assert.equal(backoffDelay(20, opts, () => 0), 15000);
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(4, opts);
    assert.ok(d >= 4000 && d <= 8000, String(d));
  }
});

test('the browser coming online retries at once instead of waiting out the back-off', async () => {
  const s = new FakeServer();
  const listeners = {};
  const win = { navigator: { onLine: true }, addEventListener: (t, f) => { listeners[t] = f; }, removeEventListener() {} };
  const c = client(s, { window: win, reconnect: { baseMs: 60000, maxMs: 60000 } });
  await c.connect();
  win.navigator.onLine = false;
  s.ws.drop();
  assert.equal(c.state, 'offline');
  assert.equal(s.sockets.length, 1, 'no attempt while the browser says offline');
  win.navigator.onLine = true;
  listeners.online();
  await until('resumed', () => c.state === 'connected');
  assert.equal(s.sent('hello')[1].resume.token, 'T1');
});

test('requests in flight when the connection drops reject with disconnected; queued ones go after the welcome', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers['room.list'] = () => null;
  const lost = c.request({ type: 'room.list' });
  s.ws.drop();
  await assert.rejects(lost, (e) => e.code === 'disconnected');
  s.handlers['room.list'] = () => ({ type: 'room.list', rooms: [{ roomId: 'r', name: 'n', unread: 2 }] });
  const later = c.listRooms();
  assert.deepEqual(await later, [{ roomId: 'r', name: 'n', unread: 2 }]);
});

test('chat: a message is retried with the same clientMsgId after a lost connection until acked, once', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers['room.join'] = (m) => ({ type: 'room.joined', roomId: m.roomId, memberId: 'me', role: 'member', relayOnly: false, members: [] });
  const room = await c.joinRoom('R');
  s.handlers['chat.send'] = () => null;   // the ack is lost with the connection
  const sent = room.send('hello');
  assert.equal(room.pending.length, 1);
  await until('first send', () => s.sent('chat.send').length === 1);
  s.ws.drop();
  s.handlers['chat.send'] = (m) => ({ type: 'chat.ack', roomId: 'R', clientMsgId: m.clientMsgId, messageId: 7, ts: 9, duplicate: true });
  const ack = await sent;
  const sends = s.sent('chat.send');
  assert.equal(sends.length, 2);
  assert.equal(sends[0].clientMsgId, sends[1].clientMsgId, 'the retry is recognised by its clientMsgId');
  assert.equal(sends[1].text, 'hello');
  assert.deepEqual([ack.messageId, ack.duplicate], [7, true]);
  assert.equal(room.pending.length, 1, 'listed until its copy arrives, so a view never shows it missing');
  s.event({ type: 'chat.message', roomId: 'R', message: { id: 7, ts: 9, fromMemberId: 'me', fromUserId: 'dev:Ann', fromName: 'Ann', text: 'hello', clientMsgId: sends[0].clientMsgId } });
  assert.equal(room.pending.length, 0);
  assert.equal(room.messages.length, 1);
  s.ws.drop();
  await until('resumed', () => c.state === 'connected' && s.sockets.length === 3);
  await tick(10);
  assert.equal(s.sent('chat.send').length, 2, 'an acknowledged message is never sent again');
});

test('chat: storage_unavailable is retried, a refusal for good is not', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers['room.join'] = (m) => ({ type: 'room.joined', roomId: m.roomId, memberId: 'me', role: 'member', relayOnly: false, members: [] });
  const room = await c.joinRoom('R');
  let n = 0;
  s.handlers['chat.send'] = (m) => (++n === 1 ? { type: 'error', code: 'storage_unavailable', message: 'db away' }
    : { type: 'chat.ack', roomId: 'R', clientMsgId: m.clientMsgId, messageId: 1, ts: 1, duplicate: false });
  assert.equal((await room.send('a')).messageId, 1);
  s.handlers['chat.send'] = () => ({ type: 'error', code: 'limit_exceeded', limit: 'text_length', message: 'too long' });
  await assert.rejects(room.send('b'), (e) => e.limit === 'text_length');
  assert.deepEqual(room.pending.map((p) => p.text), ['a'], 'the refused one is not pending (a waits for its copy)');
});

test('chat: history pages backwards with before, events merge by id, edits and deletes apply', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers['room.join'] = (m) => ({ type: 'room.joined', roomId: m.roomId, memberId: 'me', role: 'owner', relayOnly: true, members: [] });
  const msg = (id, text) => ({ id, ts: id, fromMemberId: 'o', fromUserId: 'dev:Bob', fromName: 'Bob', text });
  s.handlers['chat.history'] = (m) => (m.before === undefined
    ? { type: 'chat.history', roomId: 'R', hasMore: true, messages: [msg(3, 'c'), msg(4, 'd')] }
    : { type: 'chat.history', roomId: 'R', hasMore: false, messages: [msg(1, 'a'), msg(2, 'b')] });
  const room = await c.joinRoom('R');
  assert.equal(room.relayOnly, true);
  await room.loadOlder();
  assert.equal(room.hasOlder, true);
  await room.loadOlder();
  assert.equal(s.sent('chat.history')[1].before, 3);
  assert.equal(room.hasOlder, false);
  const events = [];
  for (const t of ['message', 'edited', 'deleted', 'read']) { room.addEventListener(t, (e) => events.push(t)); }
  s.event({ type: 'chat.message', roomId: 'R', message: msg(5, 'e') });
  s.event({ type: 'chat.message', roomId: 'R', message: msg(5, 'e') });   // a copy already merged is not news
  s.event({ type: 'chat.edited', roomId: 'R', message: Object.assign(msg(2, 'B'), { editedAt: 7 }) });
  s.event({ type: 'chat.deleted', roomId: 'R', messageId: 3, deletedBy: 'dev:Ann' });
  s.event({ type: 'chat.read', roomId: 'R', userId: 'dev:Ann', messageId: 4 });
  assert.deepEqual(room.messages.map((m) => m.text), ['a', 'B', '', 'd', 'e']);
  assert.equal(room.messages[2].deleted, true);
  assert.deepEqual(events, ['message', 'edited', 'deleted', 'read']);
  assert.equal(room.readMarker, 4);
  s.handlers['chat.read'] = () => ({ type: 'ok' });
  await room.markRead(3);
  assert.equal(s.sent('chat.read').length, 0, 'a marker never moves back');
  await room.markRead(5);
  assert.equal(s.sent('chat.read')[0].messageId, 5);
});

test('typing: sends are throttled, stop is sent once, others expire without a renewal', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers['room.join'] = (m) => ({ type: 'room.joined', roomId: m.roomId, memberId: 'me', role: 'member', relayOnly: false,
    members: [{ memberId: 'me', userId: 'dev:Ann', displayName: 'Ann', state: 'online' }, { memberId: 'o', userId: 'dev:Bob', displayName: 'Bob', state: 'online' }] });
  const room = await c.joinRoom('R');
  const t0 = 1_000_000;
  assert.equal(room.typingActivity(t0), true);
  assert.equal(room.typingActivity(t0 + 100), false);
  assert.equal(room.typingActivity(t0 + TYPING_RENEW_MS - 1), false);
  assert.equal(room.typingActivity(t0 + TYPING_RENEW_MS), true);
  room.stopTyping();
  room.stopTyping();
  const typing = s.sent('typing');
  assert.deepEqual(typing.map((m) => m.active), [true, true, false]);
  assert.equal(typing[0].requestId, undefined, 'typing is fire and forget');

  s.event({ type: 'member.typing', roomId: 'R', memberId: 'o', active: true });
  assert.deepEqual(room.typing, ['o']);
  s.event({ type: 'chat.message', roomId: 'R', message: { id: 1, ts: 1, fromMemberId: 'o', fromUserId: 'dev:Bob', fromName: 'Bob', text: 'hi' } });
  assert.deepEqual(room.typing, [], 'a message ends typing');
  assert.ok(TYPING_EXPIRY_MS > 6000, 'outlives the server renewal period');
  room.typingExpiryMs = 40;
  s.event({ type: 'member.typing', roomId: 'R', memberId: 'o', active: true });
  await tick(25);
  s.event({ type: 'member.typing', roomId: 'R', memberId: 'o', active: true });   // a renewal
  await tick(25);
  assert.deepEqual(room.typing, ['o'], 'renewed: still typing');
  await until('expiry without a renewal', () => room.typing.length === 0);
  s.event({ type: 'member.typing', roomId: 'R', memberId: 'me', active: true });
  assert.deepEqual(room.typing, [], 'one\'s own typing is not shown');
});

test('members: join, reconnecting, back and left update the room and the memberships presence', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers['room.join'] = (m) => ({ type: 'room.joined', roomId: m.roomId, memberId: 'me', role: 'member', relayOnly: false,
    members: [{ memberId: 'me', userId: 'dev:Ann', displayName: 'Ann', state: 'online' }],
    memberships: [{ userId: 'dev:Ann', name: 'Ann', role: 'member', presence: 'online' }, { userId: 'dev:Bob', name: 'Bob', role: 'owner', presence: 'offline' }] });
  const room = await c.joinRoom('R');
  s.event({ type: 'member.joined', roomId: 'R', member: { memberId: 'b', userId: 'dev:Bob', displayName: 'Bob', state: 'online' } });
  assert.equal(room.memberships.get('dev:Bob').presence, 'online');
  s.event({ type: 'member.reconnecting', roomId: 'R', memberId: 'b' });
  assert.equal(room.members.get('b').state, 'reconnecting');
  assert.equal(room.memberships.get('dev:Bob').presence, 'reconnecting');
  s.event({ type: 'member.back', roomId: 'R', memberId: 'b' });
  assert.equal(room.members.get('b').state, 'online');
  s.event({ type: 'member.left', roomId: 'R', memberId: 'b', reason: 'left' });
  assert.equal(room.members.has('b'), false);
  assert.equal(room.memberships.get('dev:Bob').presence, 'offline');
});

/** A fake RTCPeerConnection recording what the Call does with it. */
class FakePC {
  constructor(config) { this.config = config; this.tracks = []; this.remoteDescription = null; this.candidates = []; FakePC.all.push(this); }
  addTrack(t) { this.tracks.push(t); }
  async createOffer(o) { return { type: 'offer', sdp: 'v=0 offer' + (o && o.iceRestart ? ' restart' : '') }; }
  async createAnswer() { return { type: 'answer', sdp: 'v=0 answer' }; }
  async setLocalDescription(d) { this.localDescription = d; }
  async setRemoteDescription(d) { this.remoteDescription = d; }
  async addIceCandidate(c) { this.candidates.push(c); }
  setConfiguration(c) { this.config = c; }
  close() { this.closed = true; }
}
FakePC.all = [];

const track = (kind) => ({ kind, enabled: true, stop() {} });
const fakeStream = () => {
  const tracks = [track('audio'), track('video')];
  return { getTracks: () => tracks, getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video') };
};

async function inCall(s, peers, policy = 'relay', options = { speaking: false }) {
  const c = client(s);
  await c.connect();
  s.handlers['room.join'] = (m) => ({ type: 'room.joined', roomId: m.roomId, memberId: 'me', role: 'member', relayOnly: policy === 'relay', members: [] });
  s.handlers['live.join'] = () => ({ type: 'live.call', roomId: 'R', memberId: 'me', relayOnly: policy === 'relay', peers,
    ice: { iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'p' }], iceTransportPolicy: policy, ttlSeconds: 600 } });
  s.handlers['live.signal'] = () => ({ type: 'ok' });
  s.handlers['live.state'] = () => ({ type: 'ok' });
  const room = await c.joinRoom('R');
  const call = track2(new Call(room, Object.assign({ stream: fakeStream(), RTCPeerConnection: FakePC }, options)));
  await call.join();
  return { c, room, call };
}

test('who offers: the joiner offers to the peers it found; a peer announced later offers to us', async () => {
  assert.equal(offersTo('live.call'), true);
  assert.equal(offersTo('live.joined'), false);
  const s = new FakeServer();
  FakePC.all = [];
  const { call } = await inCall(s, [{ memberId: 'old', displayName: 'Old', muted: false, camera: true, speaking: false }]);
  assert.equal(call.relayOnly, true);
  assert.equal(FakePC.all[0].config.iceTransportPolicy, 'relay', 'relay-only rooms get the relay policy');
  const offers = s.sent('live.signal').filter((m) => m.kind === 'offer');
  assert.deepEqual(offers.map((m) => m.to), ['old']);
  s.event({ type: 'live.joined', roomId: 'R', peer: { memberId: 'new', displayName: 'New' } });
  await until('peer', () => call.peers.has('new'));
  await tick(5);
  assert.equal(s.sent('live.signal').filter((m) => m.kind === 'offer').length, 1, 'no offer to the newer peer');
  s.event({ type: 'live.signal', roomId: 'R', from: 'new', kind: 'candidate', candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ relay', sdpMid: '0', sdpMLineIndex: 0 });
  s.event({ type: 'live.signal', roomId: 'R', from: 'new', kind: 'offer', sdp: 'v=0 theirs' });
  await until('answer', () => s.sent('live.signal').some((m) => m.kind === 'answer' && m.to === 'new'));
  assert.equal(call.peers.get('new').pc.candidates.length, 1, 'a candidate before the offer waits, then applies');
});

test('trickle ICE: candidates and end-of-candidates go to the peer; a resume restarts ICE by role', async () => {
  const s = new FakeServer();
  FakePC.all = [];
  const { call } = await inCall(s, [{ memberId: 'old' }]);
  s.event({ type: 'live.joined', roomId: 'R', peer: { memberId: 'new' } });
  await until('peer', () => call.peers.has('new'));
  const pc = call.peers.get('old').pc;
  pc.onicecandidate({ candidate: { candidate: 'candidate:2 1 udp 2 9.9.9.9 7 typ relay', sdpMid: '0', sdpMLineIndex: 0 } });
  pc.onicecandidate({ candidate: null });
  await tick(5);
  const toOld = s.sent('live.signal').filter((m) => m.to === 'old').map((m) => m.kind);
  assert.deepEqual(toOld, ['offer', 'candidate', 'end-of-candidates']);
  const fresh = { iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: 'u2', credential: 'p2' }], iceTransportPolicy: 'relay', ttlSeconds: 600 };
  s.event({ type: 'live.credentials', roomId: 'R', reason: 'resumed', ice: fresh });
  await until('restart', () => s.sent('live.signal').some((m) => m.iceRestart === true));
  await until('restart ask', () => s.sent('live.signal').some((m) => m.kind === 'restart'));
  const restart = s.sent('live.signal').find((m) => m.iceRestart === true);
  assert.equal(restart.to, 'old', 'the newer side of the pair offers with iceRestart');
  assert.equal(s.sent('live.signal').find((m) => m.kind === 'restart').to, 'new', 'the older side asks');
  assert.equal(pc.config.iceServers[0].username, 'u2', 'credentials applied');
  s.event({ type: 'live.credentials', roomId: 'R', reason: 'expiring', ice: fresh });
  await tick(5);
  assert.equal(s.sent('live.signal').filter((m) => m.iceRestart).length, 1, 'expiring credentials do not restart ICE');
});

test('media state: mute and camera toggle the tracks and tell the others; peers state applies; leaving closes', async () => {
  const s = new FakeServer();
  FakePC.all = [];
  const { call } = await inCall(s, [{ memberId: 'old' }], 'all');
  assert.equal(FakePC.all[0].config.iceTransportPolicy, 'all');
  await call.setMuted(true);
  await call.setCamera(false);
  assert.equal(call.stream.getAudioTracks()[0].enabled, false);
  assert.equal(call.stream.getVideoTracks()[0].enabled, false);
  const states = s.sent('live.state');
  assert.equal(states[states.length - 2].muted, true);
  assert.equal(states[states.length - 1].camera, false);
  s.event({ type: 'live.state', roomId: 'R', memberId: 'old', muted: false, camera: true, speaking: true });
  await until('state', () => call.peers.get('old').state.speaking);
  s.handlers['live.leave'] = () => ({ type: 'ok' });
  await call.leave();
  assert.equal(FakePC.all[0].closed, true);
  assert.equal(call.peers.size, 0);
});

test('speaking detection has hysteresis', () => {
  const d = new SpeakingDetector();
  assert.equal(d.sample(0.5, 0), false);
  assert.equal(d.sample(0.5, 100), false);
  assert.equal(d.sample(0.5, 160), true);
  assert.equal(d.speaking, true);
  assert.equal(d.sample(0, 200), false);
  assert.equal(d.sample(0.5, 300), false, 'a breath does not end speech');
  assert.equal(d.sample(0, 400), false);
  assert.equal(d.sample(0, 1250), true);
  assert.equal(d.speaking, false);
});

// An AudioContext as an autoplay policy leaves one made outside a user gesture: suspended until a gesture allows it.
class SuspendedAudio extends EventTarget {
  constructor() { super(); this.state = 'suspended'; this.resumes = 0; this.allowed = false; SuspendedAudio.last = this; }
  resume() {
    this.resumes++;
    if (this.allowed) { this.state = 'running'; this.dispatchEvent(new Event('statechange')); }
    return Promise.resolve();
  }
  close() { this.state = 'closed'; this.dispatchEvent(new Event('statechange')); return Promise.resolve(); }
  createMediaStreamSource() { return { connect() {} }; }
  createAnalyser() { return { fftSize: 512, getFloatTimeDomainData(b) { b.fill(0); } }; }
}

test('speaking: a suspended AudioContext is resumed at once and on the next gesture until it runs', async () => {
  const doc = globalThis.document = new EventTarget();
  try {
    const s = new FakeServer();
    FakePC.all = [];
    const { call } = await inCall(s, [], 'all', { AudioContext: SuspendedAudio });
    const ctx = SuspendedAudio.last;
    assert.equal(ctx.resumes, 1, 'asked to resume when made');
    doc.dispatchEvent(new Event('keydown'));
    assert.equal(ctx.resumes, 2, 'a gesture asks again while it is suspended');
    ctx.allowed = true;
    doc.dispatchEvent(new Event('pointerdown'));
    assert.equal(ctx.state, 'running');
    doc.dispatchEvent(new Event('pointerdown'));
    assert.equal(ctx.resumes, 3, 'running: gestures are no longer watched');
    ctx.state = 'suspended';
    ctx.allowed = false;
    ctx.dispatchEvent(new Event('statechange'));
    assert.equal(ctx.resumes, 4, 'suspended again (an interruption): resumed again');
    doc.dispatchEvent(new Event('touchend'));
    assert.equal(ctx.resumes, 5, 'and on the next gesture');
    s.handlers['live.leave'] = () => ({ type: 'ok' });
    await call.leave();
    assert.equal(ctx.state, 'closed');
    doc.dispatchEvent(new Event('keydown'));
    assert.equal(ctx.resumes, 5, 'a left call watches no gestures');
  } finally {
    delete globalThis.document;
  }
});

test('avatar ids: base64url of 16 bytes of SHA-256 of the user id, as the server maps them, in one function', () => {
  assert.equal(base64url('dev:Ann'), 'ZGV2OkFubg');
  assert.equal(base64url('ü/?'), 'w7wvPw');
  // The paths the server's AvatarPath.forUser / forGuest give for these ids.
  assert.equal(avatarPath('user', 'dev:Ann', 48), '/avatar/user/aw_VFgQlcYBGD5tGe_uq_A.png?size=48');
  assert.equal(avatarPath('guest', 'guest:x'), '/avatar/guest/rXA3fF7T_yvSjH_dMUaMZQ.png?size=64');
  assert.equal(avatarPath('room', 'hX0u3Qm5pB6cY7rT1aZ9wQ', 9999), '/avatar/room/hX0u3Qm5pB6cY7rT1aZ9wQ.png?size=512');
  assert.match(avatarPath('user', '../../x'), /^\/avatar\/user\/[A-Za-z0-9_-]+\.png\?size=64$/);
  assert.throws(() => avatarPath('file', 'x'));
});

test('sha256 matches node:crypto for empty, multi-block and non-ASCII input', () => {
  const inputs = ['', 'abc', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'ü€😀'.repeat(40), 'friend:' + 'q'.repeat(300)];
  for (const text of inputs) {
    assert.equal(Buffer.from(sha256(text)).toString('hex'), createHash('sha256').update(text, 'utf8').digest('hex'),
      JSON.stringify(text.slice(0, 20)));
  }
});

test('links: only http and https, trailing punctuation stays text, other schemes stay text', () => {
  assert.deepEqual(splitLinks('see https://example.org/a?b=1. ok'),
    [{ text: 'see ' }, { text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' }, { text: '. ok' }]);
  assert.deepEqual(splitLinks('javascript:alert(1) data:text/html,x'), [{ text: 'javascript:alert(1) data:text/html,x' }]);
  assert.deepEqual(splitLinks('(http://a.b/c)'), [{ text: '(' }, { text: 'http://a.b/c', href: 'http://a.b/c' }, { text: ')' }]);
  assert.deepEqual(splitLinks('<img src=x onerror=alert(1)>'), [{ text: '<img src=x onerror=alert(1)>' }]);
  const parts = splitLinks('x https://a.org/"onmouseover=alert(1) y');
  assert.equal(parts[1].href, 'https://a.org/');
  assert.deepEqual(splitLinks(''), []);
});

test('invites are thin request wrappers with the protocol names and fields', async () => {
  const s = new FakeServer();
  const c = client(s, { url: 'wss://calls.example.org/ws' });
  await c.connect();
  s.handlers['invite.create'] = (m) => ({ type: 'invite.created', inviteId: 'I1', roomId: m.roomId, kind: m.kind, token: 'tok', url: '/join/tok', expiresAt: 1 });
  s.handlers['invite.list'] = () => ({ type: 'invite.list', roomId: 'R', invites: [{ inviteId: 'I1', kind: 'single', uses: 0, revoked: false }] });
  s.handlers['invite.revoke'] = () => ({ type: 'ok' });
  s.handlers['invite.redeem'] = () => ({ type: 'invite.redeemed', roomId: 'R', name: 'Team' });
  s.handlers['invite.pending'] = () => ({ type: 'invite.pending', invites: [{ inviteId: 'T1', kind: 'targeted' }] });
  s.handlers['invite.accept'] = () => ({ type: 'invite.redeemed', roomId: 'R', name: 'Team' });
  s.handlers['invite.decline'] = () => ({ type: 'ok' });
  const created = await c.invites.create('R', 'public', { ttl: 3600 });
  assert.equal(created.url, 'https://calls.example.org/join/tok', 'a relative link points at this appliance');
  assert.deepEqual([s.sent('invite.create')[0].kind, s.sent('invite.create')[0].ttl], ['public', 3600]);
  await c.invites.create('R', 'targeted', { userId: 'bob' });
  assert.equal(s.sent('invite.create')[1].userId, 'bob');
  assert.equal((await c.invites.list('R'))[0].inviteId, 'I1');
  await c.invites.revoke('R', 'I1');
  assert.deepEqual([s.sent('invite.revoke')[0].roomId, s.sent('invite.revoke')[0].inviteId], ['R', 'I1']);
  assert.equal((await c.invites.redeem('tok')).roomId, 'R');
  assert.equal((await c.invites.pending())[0].inviteId, 'T1');
  assert.equal((await c.invites.accept('T1')).name, 'Team');
  await c.invites.decline('T1');
  assert.equal(s.sent('invite.decline')[0].inviteId, 'T1');
  await assert.rejects(c.invites.create('R', 'everyone'));
});

test('a guest hello refused for its invite stops with the invite code', async () => {
  const s = new FakeServer();
  s.handlers.hello = () => ({ type: 'error', code: 'invite_used', message: 'used' });
  const c = client(s, { auth: { provider: 'guest', invite: 'tok', displayName: 'Eve' } });
  await assert.rejects(c.connect(), (e) => e.code === 'invite_used');
  assert.deepEqual(s.sent('hello')[0].auth, { provider: 'guest', invite: 'tok', displayName: 'Eve' });
  await tick(10);
  assert.equal(s.sent('hello').length, 1);
});

test('roles change and a kicked user is out of the room and does not join again', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers['room.join'] = (m) => ({ type: 'room.joined', roomId: m.roomId, memberId: 'me', role: 'member', relayOnly: false,
    members: [{ memberId: 'me', userId: 'dev:Ann', displayName: 'Ann', role: 'member' }, { memberId: 'b', userId: 'dev:Bob', displayName: 'Bob', role: 'member' }] });
  const room = await c.joinRoom('R');
  s.event({ type: 'room.role', roomId: 'R', userId: 'dev:Ann', role: 'admin', by: 'dev:Own' });
  assert.equal(room.role, 'admin');
  assert.equal(room.members.get('me').role, 'admin');
  s.event({ type: 'room.kicked', roomId: 'R', userId: 'dev:Bob', by: 'dev:Ann' });
  assert.equal(room.members.has('b'), false);
  let kicked = null;
  room.addEventListener('kicked', (e) => { kicked = e.detail; });
  s.event({ type: 'room.kicked', roomId: 'R', userId: 'dev:Ann', by: 'dev:Own', reason: 'spam' });
  assert.deepEqual(kicked, { by: 'dev:Own', reason: 'spam' });
  assert.equal(room.joined, false);
  s.handlers.hello = (m) => (m.resume ? { type: 'error', code: 'resume_failed', message: 'x' }
    : { type: 'welcome', version: 1, sessionId: 'S2', userId: 'dev:Ann', resumeToken: 'N', resumed: false, lastSeq: 0, limits: {} });
  s.ws.drop();
  await until('new session', () => c.sessionId === 'S2');
  await tick(10);
  assert.equal(s.sent('room.join').length, 1, 'a kicked room is not joined again');
});

test('close says bye and stops for good', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  s.handlers.bye = () => ({ type: 'ok' });
  await c.close();
  assert.equal(c.state, 'closed');
  await tick(10);
  assert.equal(s.sockets.length, 1);
  await assert.rejects(c.request({ type: 'room.list' }), (e) => e.code === 'closed');
});

test('Room is exported for typing with instanceof', async () => {
  const s = new FakeServer();
  const c = client(s);
  assert.ok(c.room('x') instanceof Room);
  assert.equal(c.room('x'), c.room('x'));
});

test('the default URL is the /ws of the appliance that served the SDK', async () => {
  const { defaultUrl } = await import('../../main/resources/web/sdk/presence.js');
  assert.equal(defaultUrl('https://calls.example.org:8443/sdk/presence.js'), 'wss://calls.example.org:8443/ws');
  assert.equal(defaultUrl('http://127.0.0.1:8080/sdk/presence.js'), 'ws://127.0.0.1:8080/ws');
  assert.equal(defaultUrl('file:///x/presence.js'), null);
});

test('credentials are asked for at 90 % of their lifetime should no push come', async () => {
  const s = new FakeServer();
  FakePC.all = [];
  const c = client(s);
  await c.connect();
  s.handlers['room.join'] = (m) => ({ type: 'room.joined', roomId: m.roomId, memberId: 'me', role: 'member', relayOnly: true, members: [] });
  s.handlers['live.join'] = () => ({ type: 'live.call', roomId: 'R', memberId: 'me', relayOnly: true, peers: [{ memberId: 'old' }],
    ice: { iceServers: [{ urls: ['turn:x'], username: 'u1', credential: 'p' }], iceTransportPolicy: 'relay', ttlSeconds: 0.05 } });
  s.handlers['live.signal'] = () => ({ type: 'ok' });
  s.handlers['live.state'] = () => ({ type: 'ok' });
  s.handlers['live.credentials'] = () => ({ type: 'live.credentials', roomId: 'R',
    ice: { iceServers: [{ urls: ['turn:x'], username: 'u2', credential: 'p' }], iceTransportPolicy: 'relay', ttlSeconds: 600 } });
  const room = await c.joinRoom('R');
  const call = track2(new Call(room, { stream: fakeStream(), RTCPeerConnection: FakePC, speaking: false }));
  await call.join();
  await until('refresh', () => FakePC.all[0].config.iceServers[0].username === 'u2');
  assert.equal(s.sent('live.credentials').length, 1);
});

test('a network change (navigator.connection) retries a reconnecting client at once', async () => {
  const s = new FakeServer();
  const listeners = {};
  const connection = { addEventListener: (t, f) => { listeners['conn-' + t] = f; }, removeEventListener() {} };
  const win = { navigator: { onLine: true, connection }, addEventListener: (t, f) => { listeners[t] = f; }, removeEventListener() {} };
  const c = client(s, { window: win, reconnect: { baseMs: 60000, maxMs: 60000 } });
  await c.connect();
  s.ws.drop();
  assert.equal(c.state, 'reconnecting');
  assert.equal(s.sockets.length, 1, 'waiting out a long back-off');
  listeners['conn-change']();
  await until('resumed', () => c.state === 'connected');
  listeners.offline();
  assert.equal(c.state, 'connected', 'the offline event alone does not drop a working connection');
});

test('session: a saved session resumes after a reload; sessionchange tracks token and seq; resume_failed signs in', async () => {
  const s = new FakeServer();
  const first = client(s);
  const changes = [];
  first.addEventListener('sessionchange', (e) => changes.push(e.detail.session));
  assert.equal(first.session, null);
  await first.connect();
  s.event({ type: 'member.typing', roomId: 'r', memberId: 'm', active: true });
  assert.deepEqual(first.session, { resumeToken: 'T1', lastSeq: 1 });
  assert.deepEqual(changes, [{ resumeToken: 'T1', lastSeq: 0 }, { resumeToken: 'T1', lastSeq: 1 }]);
  const saved = JSON.parse(JSON.stringify(first.session));

  // The reloaded page: a new client with the saved session starts with hello.resume, not the credentials.
  const second = client(s, { resume: saved });
  const welcome = await second.connect();
  assert.equal(welcome.resumed, true);
  assert.deepEqual(s.sent('hello')[1].resume, { token: 'T1', lastSeq: 1 });
  assert.equal(s.sent('hello')[1].auth, undefined);
  assert.equal(second.session.resumeToken, 'T2', 'the newest token');

  // resume(saved) on a client whose session the server no longer has: signed in afresh with auth.
  s.handlers.hello = (m) => (m.resume ? { type: 'error', code: 'resume_failed', message: 'gone' }
    : { type: 'welcome', version: 1, sessionId: 'S9', userId: 'dev:Ann', resumeToken: 'N1', resumed: false, lastSeq: 0, limits: {} });
  const third = client(s);
  let fresh = false;
  third.addEventListener('session', () => { fresh = true; });
  await third.resume({ resumeToken: 'T2', lastSeq: 4 });
  assert.equal(fresh, true);
  assert.deepEqual(third.session, { resumeToken: 'N1', lastSeq: 0 });
  assert.deepEqual(s.sent('hello').slice(-1)[0].auth, { provider: 'dev', displayName: 'Ann' });

  // Without auth a lost session cannot fall back: connect rejects with resume_failed.
  const fourth = client(s, { auth: null, resume: { resumeToken: 'T9', lastSeq: 0 } });
  await assert.rejects(fourth.connect(), (e) => e.code === 'resume_failed');
  assert.equal(fourth.session, null);
  s.handlers.bye = () => ({ type: 'ok' });
  await first.close();
  assert.equal(first.session, null, 'a closed session is nothing to resume');
});

test('room administration and direct rooms: request shapes, and refusals reject with their codes', async () => {
  const s = new FakeServer();
  const c = client(s);
  await c.connect();
  const ok = () => ({ type: 'ok' });
  for (const t of ['room.name', 'room.rename', 'room.settings', 'room.kick', 'room.role', 'room.close']) { s.handlers[t] = ok; }
  s.handlers['room.join'] = (m) => ({ type: 'room.joined', roomId: m.roomId, memberId: 'me', role: 'owner', relayOnly: false, members: [] });
  s.handlers['room.direct'] = (m) => ({ type: 'room.joined', roomId: 'd' + m.userId.length, memberId: 'me2', role: 'member', relayOnly: true,
    members: [], memberships: [{ userId: 'dev:Ann', role: 'member' }, { userId: m.userId, role: 'member' }] });
  const room = await c.joinRoom('R');
  const strip = (m) => { const x = Object.assign({}, m); delete x.requestId; return x; };

  await room.setName('  Team ');
  assert.deepEqual(strip(s.sent('room.name')[0]), { type: 'room.name', roomId: 'R', name: '  Team ' });
  assert.equal(room.name, 'Team');
  await room.rename('Design');
  assert.deepEqual(strip(s.sent('room.rename')[0]), { type: 'room.rename', roomId: 'R', name: 'Design' });
  await room.setRelayOnly(true);
  assert.deepEqual(strip(s.sent('room.settings')[0]), { type: 'room.settings', roomId: 'R', relayOnly: true });
  assert.equal(room.relayOnly, true);
  await room.kick('dev:Eve', 'spam');
  await room.kick('dev:Bob');
  assert.deepEqual(s.sent('room.kick').map(strip), [{ type: 'room.kick', roomId: 'R', userId: 'dev:Eve', reason: 'spam' },
    { type: 'room.kick', roomId: 'R', userId: 'dev:Bob' }]);
  await room.setRole('dev:Bob', 'admin');
  assert.deepEqual(strip(s.sent('room.role')[0]), { type: 'room.role', roomId: 'R', userId: 'dev:Bob', role: 'admin' });

  s.handlers['room.rename'] = () => ({ type: 'error', code: 'forbidden', reason: 'role', message: 'no' });
  await assert.rejects(room.rename('X'), (e) => e instanceof PresenceError && e.code === 'forbidden' && e.reason === 'role');
  assert.equal(room.name, 'Design', 'a refused rename changes nothing');
  s.handlers['room.role'] = () => ({ type: 'error', code: 'forbidden', reason: 'last_owner', message: 'no' });
  await assert.rejects(room.setRole('dev:Ann', 'member'), (e) => e.reason === 'last_owner');
  s.handlers['room.kick'] = () => ({ type: 'error', code: 'unknown_member', message: 'no' });
  await assert.rejects(room.kick('dev:Zed'), (e) => e.code === 'unknown_member');

  let left = false;
  room.addEventListener('left', () => { left = true; });
  await room.close();
  assert.deepEqual(strip(s.sent('room.close')[0]), { type: 'room.close', roomId: 'R' });
  assert.equal(room.joined, false);
  assert.equal(left, true);

  const direct = await c.openDirect('dev:Bob');
  assert.deepEqual(strip(s.sent('room.direct')[0]), { type: 'room.direct', userId: 'dev:Bob' });
  assert.equal(direct, c.room('d7'));
  assert.equal(direct.joined, true);
  assert.equal(direct.memberships.get('dev:Bob').role, 'member');
  s.handlers['room.direct'] = () => ({ type: 'error', code: 'forbidden', reason: 'guest', message: 'no' });
  await assert.rejects(c.openDirect('dev:Cy'), (e) => e.code === 'forbidden' && e.reason === 'guest');
  s.handlers['room.direct'] = () => ({ type: 'error', code: 'not_supported', message: 'no database' });
  await assert.rejects(c.openDirect('dev:Cy'), (e) => e.code === 'not_supported');

  let listed = null;
  c.addEventListener('room.listed', (e) => { listed = e.detail; });
  s.event({ type: 'room.listed', roomId: 'd9', room: { roomId: 'd9', unread: 0, direct: true, with: 'dev:Cy' } });
  assert.equal(listed.room.with, 'dev:Cy');
});
