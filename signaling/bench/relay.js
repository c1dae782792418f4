#!/usr/bin/env node
// One-to-one relay benchmark driver: N pairs (sender -> receiver), the same driver loop for both servers, with one
// protocol adapter per server and message shape:
//
//   peerjs-candidate : PeerJS server (npm `peer`). Each side connects to /peerjs?key=peerjs&id=<id>&token=<t> and
//              waits for OPEN; the sender sends what a PeerJS client sends for one trickled ICE candidate:
//              {"type":"CANDIDATE","dst":<receiver>,"payload":{"candidate":{"candidate":<RFC 8839 line>,
//              "sdpMid":<stamp>,"sdpMLineIndex":0},"type":"media","connectionId":"mc_<i>"}}; the server relays it.
//   presence-signal : Presence's own 1:1 WebRTC signal relay, the like-for-like workload. Both sides say hello
//              (dev provider), the sender creates a normal room (relayOnly false), the receiver joins it, both
//              `live.join` the room's call; the sender sends `live.signal` kind `candidate` with the SAME candidate
//              line, sdpMid and sdpMLineIndex, and no requestId (so the server answers nothing on success, like
//              PeerJS); the server validates the candidate (RFC 8839 grammar) and the receiver gets the
//              `live.signal` event.
//   peerjs   : PeerJS, {"type":"OFFER","dst":..,"payload":{"n":..,"t":..}} (the first workload-4 runs).
//   presence : Presence chat in a 2-member room, `chat.send` WITH requestId: the server sends three frames per
//              message (the ack, the event echoed to the sender, the delivery). The first workload-4 runs.
//   presence-chat-noack : the same without requestId: two frames out (echo, delivery).
//   presence-tcp : the `presence` adapter over Presence's raw TCP transport (newline-delimited JSON; --port is the
//              TCP port). Not the transport PeerJS uses: for reference.
//
// The client side is hand-written on net.Socket (RFC 6455 framing; client frames masked with the all-zero key,
// which RFC 6455 allows and every server unmasks like any other key) so that the driver costs little per frame:
// received frames are scanned for the stamp, never JSON-parsed, after the setup phase. Sends made while handling
// one socket read are written with one syscall (cork until the next tick). Both servers get the same client.
//
// Modes:
//   --rate R    open loop: R messages/s offered in total, spread evenly over the senders (paced by the clock
//               every 5 ms, no catch-up beyond 100 ms). Reports delivered/s and latency at that load.
//   --window W  closed loop (capacity): each sender keeps W messages in flight; a delivery to its receiver
//               releases the next one.
//   --procs P   P driver processes (child_process.fork), each owning every P-th pair; histograms and counters are
//               merged, CPU summed. Rates are split evenly.
//
// Latency: the sender stamps performance.now() (µs) into the message; the receiver (same process) subtracts.
// Loss: sent minus received after a drain wait. Duplicates: a number seen twice per pair. Errors: error frames
// from the server (Presence `error`, PeerJS `ERROR`/`EXPIRE`) — any is a failed run.
// Output: one JSON line on stdout.
'use strict';
const net = require('net');
const { fork } = require('child_process');
const { performance } = require('perf_hooks');

function parseArgs(argv) {
  const o = { target: 'presence', port: 0, host: '127.0.0.1', pairs: 50, rate: 0, window: 0, duration: 10,
    warmup: 2, payload: 0, drain: 5, procs: 1, child: -1 };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i].replace(/^--/, '');
    const v = argv[++i];
    if (!(k in o)) throw new Error('unknown option --' + k);
    o[k] = typeof o[k] === 'number' ? Number(v) : v;
  }
  if (!o.port) throw new Error('--port is required');
  if (!o.rate && !o.window) o.window = 1;
  return o;
}

const opts = parseArgs(process.argv);
const nowUs = () => Math.round(performance.now() * 1000);
const PAD = 'x'.repeat(opts.payload);
// A server-reflexive candidate as Chrome writes it (RFC 8839 §5.1 grammar, Chrome's extensions).
const CANDIDATE = 'candidate:842163049 1 udp 1677729535 198.51.100.7 50123 typ srflx raddr 10.0.0.7 rport 50123'
  + ' generation 0 ufrag EEtu network-id 1 network-cost 10';

// ---- latency histogram: log-linear, 32 sub-buckets per power of two, microseconds ----
class Histogram {
  constructor(counts) { this.counts = counts || new Float64Array(32 * 40); this.n = 0; this.max = 0; }
  static index(v) {
    if (v < 32) return v;
    const mag = 31 - Math.clz32(v);
    return (mag - 4) * 32 + ((v >>> (mag - 5)) & 31);
  }
  static upper(i) {
    if (i < 32) return i;
    const mag = Math.floor(i / 32) + 4, sub = i % 32;
    return ((32 + sub + 1) * 2 ** (mag - 5)) - 1;
  }
  record(us) {
    const v = Math.max(1, Math.min(2 ** 31 - 1, Math.round(us)));
    if (v > this.max) this.max = v;
    this.counts[Histogram.index(v)]++; this.n++;
  }
  merge(counts, n, max) {
    for (let i = 0; i < counts.length; i++) this.counts[i] += counts[i];
    this.n += n; if (max > this.max) this.max = max;
  }
  pct(q) {
    if (!this.n) return 0;
    const rank = Math.ceil(q * this.n); let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(Histogram.upper(i), this.max);
    }
    return this.max;
  }
}

// ---- a minimal client: WebSocket (RFC 6455) or newline-delimited frames over one net.Socket ----
// onText(buf, start, end) gets each text frame's bytes; during setup, frames go to a queue read by next().
const ZERO_MASK = Buffer.alloc(4);
class Conn {
  constructor(sock, ws) {
    this.sock = sock; this.ws = ws; this.buf = null; this.onText = null; this.queue = []; this.waiter = null;
    this.corked = false; this.closed = false;
    sock.setNoDelay(true);
    sock.on('data', (chunk) => this.data(chunk));
    sock.on('close', () => { this.closed = true; });
    sock.on('error', () => {});
  }
  static open(host, port, path) {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host, port });
      sock.once('error', reject);
      sock.once('connect', () => {
        if (path == null) { resolve(new Conn(sock, false)); return; }
        sock.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
          + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
        let head = Buffer.alloc(0);
        const onData = (chunk) => {
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          sock.removeListener('data', onData);
          const status = head.toString('latin1', 0, end);
          if (!status.startsWith('HTTP/1.1 101')) { reject(new Error('upgrade refused: ' + status)); return; }
          const c = new Conn(sock, true);
          if (end + 4 < head.length) c.data(head.subarray(end + 4));
          resolve(c);
        };
        sock.on('data', onData);
      });
    });
  }
  data(chunk) {
    let b = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    let p = 0;
    if (this.ws) {
      for (;;) {
        if (b.length - p < 2) break;
        const op = b[p] & 0x0f; let len = b[p + 1] & 0x7f; let h = 2;
        if (len === 126) { if (b.length - p < 4) break; len = b.readUInt16BE(p + 2); h = 4; }
        else if (len === 127) { if (b.length - p < 10) break; len = Number(b.readBigUInt64BE(p + 2)); h = 10; }
        if (b.length - p < h + len) break;
        const s = p + h, e = s + len;
        if (op === 1) this.text(b, s, e);
        else if (op === 9) this.frame(0x8a, b.subarray(s, e));
        p = e;
      }
    } else {
      let nl;
      while ((nl = b.indexOf(10, p)) >= 0) { if (nl > p) this.text(b, p, nl); p = nl + 1; }
    }
    this.buf = p < b.length ? Buffer.from(b.subarray(p)) : null;
  }
  text(b, s, e) {
    if (this.onText) { this.onText(b, s, e); return; }
    const m = JSON.parse(b.toString('utf8', s, e));
    if (this.waiter) { const w = this.waiter; this.waiter = null; w(m); } else this.queue.push(m);
  }
  next() {
    return new Promise((resolve) => { if (this.queue.length) resolve(this.queue.shift()); else this.waiter = resolve; });
  }
  async until(pred) {
    for (;;) {
      const m = await this.next();
      if (m.type === 'error' || m.type === 'ERROR') throw new Error(JSON.stringify(m));
      if (pred(m)) return m;
    }
  }
  frame(first, payload) {
    const len = payload.length;
    const h = len < 126 ? 2 : 4;
    const f = Buffer.allocUnsafe(h + 4 + len);
    f[0] = first;
    if (h === 2) f[1] = 0x80 | len; else { f[1] = 0x80 | 126; f.writeUInt16BE(len, 2); }
    ZERO_MASK.copy(f, h);
    payload.copy(f, h + 4);
    this.write(f);
  }
  send(text) {
    if (!this.ws) { this.write(text + '\n'); return; }
    const len = Buffer.byteLength(text);
    const h = len < 126 ? 2 : (len < 65536 ? 4 : 10);
    const f = Buffer.allocUnsafe(h + 4 + len);
    f[0] = 0x81;
    if (h === 2) f[1] = 0x80 | len;
    else if (h === 4) { f[1] = 0x80 | 126; f.writeUInt16BE(len, 2); }
    else { f[1] = 0x80 | 127; f.writeBigUInt64BE(BigInt(len), 2); }
    f.writeUInt32BE(0, h);
    f.write(text, h + 4, 'utf8');
    this.write(f);
  }
  // Everything written while one read is handled leaves in one syscall.
  write(data) {
    if (!this.corked) { this.corked = true; this.sock.cork(); process.nextTick(() => { this.corked = false; this.sock.uncork(); }); }
    this.sock.write(data);
  }
  close() { this.sock.destroy(); }
}

// ---- reading a frame without parsing it ----
const TYPE_AT = 9; // every frame of both servers starts with {"type":"
function typeOf(b, s, e) {
  const q = b.indexOf(34, s + TYPE_AT);
  return q < 0 || q > e ? '' : b.toString('latin1', s + TYPE_AT, q);
}
// The message number and stamp are written as "<n>.<us>" right after `marker`; returns false if absent.
function readStamp(b, s, e, marker, out) {
  const at = b.indexOf(marker, s);
  if (at < 0 || at >= e) return false;
  let i = at + marker.length, n = 0, t = 0;
  for (; i < e; i++) { const c = b[i]; if (c < 48 || c > 57) break; n = n * 10 + c - 48; }
  for (i++; i < e; i++) { const c = b[i]; if (c < 48 || c > 57) break; t = t * 10 + c - 48; }
  out.n = n; out.t = t;
  return true;
}

// ---- adapters: pair(i) -> { conns: [s, r], message(n, stamp): string, marker, delivery: Set of frame types,
//      errors: Set of frame types, reply(conn, type): answers server pings } ----
const mark = (s) => Buffer.from(s, 'latin1');
const PRESENCE_ERRORS = new Set(['error', 'closing']);
const PEERJS_ERRORS = new Set(['ERROR', 'EXPIRE', 'LEAVE', 'ID-TAKEN', 'INVALID-KEY']);

async function presenceSession(open, name) {
  const c = await open();
  c.send(`{"type":"hello","requestId":"h","version":1,"auth":{"provider":"dev","displayName":"${name}"}}`);
  await c.until((m) => m.type === 'welcome');
  return c;
}

function presenceAdapter(open, shape) {
  return {
    errors: PRESENCE_ERRORS,
    ping(c, type) { if (type === 'ping') c.send('{"type":"pong"}'); },
    async pair(i) {
      const s = await presenceSession(open, 's' + i);
      s.send('{"type":"room.create","requestId":"c","relayOnly":false}');
      const roomId = (await s.until((m) => m.type === 'room.joined')).roomId;
      const r = await presenceSession(open, 'r' + i);
      r.send(`{"type":"room.join","requestId":"j","roomId":"${roomId}"}`);
      const to = (await r.until((m) => m.type === 'room.joined')).memberId;
      if (shape === 'signal') {
        s.send(`{"type":"live.join","requestId":"l","roomId":"${roomId}"}`);
        await s.until((m) => m.type === 'live.call');
        r.send(`{"type":"live.join","requestId":"l","roomId":"${roomId}"}`);
        await r.until((m) => m.type === 'live.call');
        return {
          conns: [s, r], marker: mark('"sdpMid":"'), delivery: 'event',
          message: (n, t) => `{"type":"live.signal","roomId":"${roomId}","to":"${to}","kind":"candidate",`
            + `"candidate":"${CANDIDATE}","sdpMid":"${n}.${t}","sdpMLineIndex":0}`,
        };
      }
      const rid = shape === 'chat' ? (n) => `"requestId":"${n}",` : () => '';
      return {
        conns: [s, r], marker: mark('"text":"'), delivery: 'event',
        message: (n, t) => `{"type":"chat.send",${rid(n)}"roomId":"${roomId}","clientMsgId":"m${n}","text":"${n}.${t}:${PAD}"}`,
      };
    },
  };
}

const peerjsBase = (i, id) => `/peerjs?key=peerjs&id=${id}&token=t${id}`;
function peerjsAdapter(shape) {
  return {
    errors: PEERJS_ERRORS,
    ping() {},
    heartbeat(c) { c.send('{"type":"HEARTBEAT"}'); },
    async pair(i) {
      const tag = `${process.pid}x${i}`;
      const s = await Conn.open(opts.host, opts.port, peerjsBase(i, 's' + tag));
      await s.until((m) => m.type === 'OPEN');
      const r = await Conn.open(opts.host, opts.port, peerjsBase(i, 'r' + tag));
      await r.until((m) => m.type === 'OPEN');
      const dst = 'r' + tag;
      if (shape === 'candidate') {
        return {
          conns: [s, r], marker: mark('"sdpMid":"'), delivery: 'CANDIDATE',
          message: (n, t) => `{"type":"CANDIDATE","dst":"${dst}","payload":{"candidate":{"candidate":"${CANDIDATE}",`
            + `"sdpMid":"${n}.${t}","sdpMLineIndex":0},"type":"media","connectionId":"mc_${tag}"}}`,
        };
      }
      return {
        conns: [s, r], marker: mark('"t":"'), delivery: 'OFFER',
        message: (n, t) => `{"type":"OFFER","dst":"${dst}","payload":{"t":"${n}.${t}","p":"${PAD}"}}`,
      };
    },
  };
}

const wsOpen = () => Conn.open(opts.host, opts.port, '/ws');
const adapters = {
  peerjs: peerjsAdapter('offer'),
  'peerjs-candidate': peerjsAdapter('candidate'),
  presence: presenceAdapter(wsOpen, 'chat'),
  'presence-chat-noack': presenceAdapter(wsOpen, 'chat-noack'),
  'presence-signal': presenceAdapter(wsOpen, 'signal'),
  'presence-tcp': presenceAdapter(() => Conn.open(opts.host, opts.port, null), 'chat'),
};

// ---- one driver process: its share of the pairs ----
async function runShare(first, step, onReady) {
  const ad = adapters[opts.target];
  if (!ad) throw new Error('--target must be one of ' + Object.keys(adapters).join(', '));
  const ids = [];
  for (let i = first; i < opts.pairs; i += step) ids.push(i);
  const pairs = [];
  const t0 = Date.now();
  for (let k = 0; k < ids.length; k += 16) pairs.push(...await Promise.all(ids.slice(k, k + 16).map((i) => ad.pair(i))));
  const connectMs = Date.now() - t0;
  await onReady();

  const hist = new Histogram();
  let measuring = false, stopSending = false;
  let sent = 0, received = 0, duplicated = 0, errors = 0, senderFrames = 0, sentMeasured = 0, recvMeasured = 0;
  let firstError = null;
  const state = pairs.map(() => ({ next: 0, lastSeen: -1, measured: Infinity }));
  const stamp = { n: 0, t: 0 };
  const sendOne = (i) => {
    const st = state[i];
    pairs[i].conns[0].send(pairs[i].message(st.next++, nowUs()));
    sent++;
    if (measuring) sentMeasured++;
  };
  const noteError = (b, s, e) => { errors++; if (!firstError) firstError = b.toString('utf8', s, Math.min(e, s + 300)); };
  pairs.forEach((p, i) => {
    const st = state[i];
    const [s, r] = p.conns;
    s.queue = []; r.queue = [];
    s.onText = (b, st0, e) => {
      const type = typeOf(b, st0, e);
      senderFrames++;
      if (ad.errors.has(type)) noteError(b, st0, e); else ad.ping(s, type);
    };
    r.onText = (b, s0, e) => {
      const type = typeOf(b, s0, e);
      if (type !== p.delivery || !readStamp(b, s0, e, p.marker, stamp)) {
        if (ad.errors.has(type)) noteError(b, s0, e); else ad.ping(r, type);
        return;
      }
      const n = stamp.n;
      if (n <= st.lastSeen) { duplicated++; return; }
      st.lastSeen = n; received++;
      if (n >= st.measured) { recvMeasured++; hist.record(nowUs() - stamp.t); }
      if (opts.window && !stopSending) sendOne(i);
    };
  });
  const hb = ad.heartbeat ? setInterval(() => pairs.forEach((p) => p.conns.forEach((c) => ad.heartbeat(c))), 5000) : null;

  let pacer = null;
  if (opts.window) {
    for (let i = 0; i < pairs.length; i++) for (let k = 0; k < opts.window; k++) sendOne(i);
  } else {
    const rate = opts.rate / step;
    let credit = 0, last = performance.now(), next = 0;
    const cap = Math.max(1, rate * 0.1);
    pacer = setInterval(() => {
      if (stopSending) return;
      const now = performance.now();
      credit = Math.min(cap, credit + rate * (now - last) / 1e3); last = now;
      while (credit >= 1) { credit -= 1; sendOne(next); next = (next + 1) % pairs.length; }
    }, 5);
  }
  await sleep(opts.warmup * 1000);
  // from here: messages numbered >= the pair's next number count toward the measured window
  state.forEach((st) => { st.measured = st.next; });
  measuring = true;
  const m0 = performance.now();
  const cpu0 = process.cpuUsage();
  await sleep(opts.duration * 1000);
  const measuredSec = (performance.now() - m0) / 1e3;
  const cpu = process.cpuUsage(cpu0);
  const recvAtEnd = recvMeasured;
  stopSending = true; measuring = false;
  if (pacer) clearInterval(pacer);
  const drainEnd = Date.now() + opts.drain * 1000;
  while (received + duplicated < sent && Date.now() < drainEnd) await sleep(20);
  if (hb) clearInterval(hb);
  const closedEarly = pairs.reduce((a, p) => a + p.conns.filter((c) => c.closed).length, 0);
  for (const p of pairs) for (const c of p.conns) c.close();
  return { connectMs, measuredSec, sentMeasured, recvMeasured: recvAtEnd, sent, received, duplicated, errors, firstError,
    senderFrames, closedEarly, cpuUs: cpu.user + cpu.system, counts: Array.from(hist.counts), n: hist.n, max: hist.max };
}

function report(parts) {
  const hist = new Histogram();
  const sum = (k) => parts.reduce((a, p) => a + p[k], 0);
  for (const p of parts) hist.merge(p.counts, p.n, p.max);
  const measuredSec = Math.max(...parts.map((p) => p.measuredSec));
  const recv = sum('recvMeasured');
  const sent = sum('sent'), received = sum('received');
  return {
    target: opts.target, mode: opts.window ? `window=${opts.window}` : `rate=${opts.rate}`, pairs: opts.pairs,
    procs: parts.length, payloadPad: opts.payload, connectMs: Math.max(...parts.map((p) => p.connectMs)),
    measuredSeconds: +measuredSec.toFixed(2), sentMeasured: sum('sentMeasured'), deliveredMeasured: recv,
    deliveredPerSecond: Math.round(recv / measuredSec),
    sentTotal: sent, deliveredTotal: received, lost: sent - received, duplicated: sum('duplicated'),
    errors: sum('errors'), firstError: parts.map((p) => p.firstError).find((e) => e) || undefined,
    framesToSenderPerMessage: +(sum('senderFrames') / Math.max(1, sent)).toFixed(2), closedEarly: sum('closedEarly'),
    p50ms: hist.pct(0.5) / 1000, p95ms: hist.pct(0.95) / 1000, p99ms: hist.pct(0.99) / 1000, maxms: hist.max / 1000,
    driverCpuPercent: Math.round(sum('cpuUs') / 1e4 / measuredSec),
  };
}

async function main() {
  if (opts.child >= 0) {
    // a share of a --procs run: wait for the parent's go after connecting, send the result back
    const go = new Promise((resolve) => process.on('message', (m) => { if (m === 'go') resolve(); }));
    const part = await runShare(opts.child, opts.procs, async () => { process.send('ready'); await go; });
    process.send({ part }, () => process.exit(0));
    return;
  }
  if (opts.procs <= 1) {
    const part = await runShare(0, 1, async () => {});
    console.log(JSON.stringify(report([part])));
    process.exit(0);
  }
  const kids = [];
  for (let c = 0; c < opts.procs; c++) {
    kids.push(fork(__filename, [...process.argv.slice(2), '--child', String(c)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }
  const ready = kids.map((k) => new Promise((resolve, reject) => {
    k.on('message', (m) => { if (m === 'ready') resolve(); });
    k.once('exit', (code) => { if (code) reject(new Error('driver process exited with ' + code)); });
  }));
  await Promise.all(ready);
  const parts = kids.map((k) => new Promise((resolve) => k.on('message', (m) => { if (m.part) resolve(m.part); })));
  for (const k of kids) k.send('go');
  console.log(JSON.stringify(report(await Promise.all(parts))));
  process.exit(0);
}

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
main().catch((e) => { console.error(e); process.exit(1); });
