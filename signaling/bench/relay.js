#!/usr/bin/env node
// One-to-one relay benchmark driver: N pairs (sender -> receiver), the same driver loop for both servers,
// with one protocol adapter per server:
//
//   peerjs   : PeerJS server (npm `peer`). Each side connects to /peerjs?key=peerjs&id=<id>&token=<t>, waits for
//              OPEN; the sender sends {"type":"OFFER","dst":<receiver id>,"payload":{...}}, the server relays it.
//   presence : Presence signaling over WebSocket /ws. Each side says hello (dev provider); the sender creates a
//              room, the receiver joins it (a two-member room is Presence's one-to-one channel); the sender
//              sends chat.send, the receiver gets the chat.message event. (Presence does more per message than
//              PeerJS: it also acks the sender and echoes the event to the sender, assigns a sequence number,
//              keeps the event in the resume buffer and the message in history, and checks idempotency.)
//   presence-tcp : the same Presence adapter over Presence's raw TCP transport (newline-delimited JSON; --port is
//              the TCP port). Not the same transport as PeerJS: reported separately, for reference.
//
// Modes:
//   --rate R    open loop: R messages/s offered in total, spread evenly over the senders (paced by the clock
//               every 5 ms, no catch-up beyond 100 ms). Reports delivered/s and latency at that load.
//   --window W  closed loop (capacity): each sender keeps W messages in flight; a delivery to its receiver
//               releases the next one. Reports the throughput the server+driver sustain and the latency there.
//
// Latency: the sender stamps process.hrtime into the payload; the receiver (same process) subtracts.
// Loss: messages sent minus messages received after a drain wait. Duplicates: a number seen twice per pair.
// Output: one JSON line on stdout.
'use strict';
const WebSocket = require('ws');

function parseArgs(argv) {
  const o = { target: 'presence', port: 0, host: '127.0.0.1', pairs: 50, rate: 0, window: 0, duration: 10,
    warmup: 2, payload: 0, drain: 5 };
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
const nowNs = () => process.hrtime.bigint();
const PAD = 'x'.repeat(opts.payload);

// ---- latency histogram: log-linear, 32 sub-buckets per power of two, microseconds ----
class Histogram {
  constructor() { this.counts = new Float64Array(32 * 40); this.n = 0; this.max = 0; }
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

// ---- adapters: connect(pairIndex, role) -> Promise<{ send(n, stampNs), onMessage(cb) }> ----
// Frames that arrive before anyone listens (a server may send OPEN in the same packet as the upgrade response)
// are kept in ws._early until the first waiter takes them.
function openWs(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws._early = [];
    ws._waiter = null;
    ws.on('message', (data) => { if (ws._waiter) ws._waiter(data); else if (ws._early) ws._early.push(data); });
    ws.once('error', reject);
    ws.once('open', () => resolve(ws));
  });
}

function firstMatching(ws, pred) {
  return new Promise((resolve, reject) => {
    const h = (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'error' || m.type === 'ERROR') { ws._waiter = null; reject(new Error(JSON.stringify(m))); return true; }
      if (pred(m)) { ws._waiter = null; resolve(m); return true; }
      return false;
    };
    while (ws._early.length) { if (h(ws._early.shift())) return; }
    ws._waiter = h;
  });
}

// Presence's raw TCP transport: newline-delimited JSON. Wrapped to look like a ws socket for the adapter code.
const net = require('net');
function openTcp(host, port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port, noDelay: true });
    const ee = new (require('events'))();
    ee._early = []; ee._waiter = null;
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl); buf = buf.slice(nl + 1);
        if (!line) continue;
        if (ee._waiter) ee._waiter(line); else if (ee._early) ee._early.push(line);
        ee.emit('message', line);
      }
    });
    ee.send = (text) => sock.write(text + '\n');
    ee.terminate = () => sock.destroy();
    sock.once('error', reject);
    sock.once('connect', () => resolve(ee));
  });
}

function presenceAdapter(open) {
  return {
    async pair(i) {
      const hello = (name) => `{"type":"hello","requestId":"h","version":1,"auth":{"provider":"dev","displayName":"${name}"}}`;
      const s = await open();
      let w = firstMatching(s, (m) => m.type === 'welcome'); s.send(hello('s' + i)); await w;
      w = firstMatching(s, (m) => m.type === 'room.joined'); s.send('{"type":"room.create","requestId":"c"}');
      const roomId = (await w).roomId;
      const r = await open();
      w = firstMatching(r, (m) => m.type === 'welcome'); r.send(hello('r' + i)); await w;
      w = firstMatching(r, (m) => m.type === 'room.joined');
      r.send(`{"type":"room.join","requestId":"j","roomId":"${roomId}"}`); await w;
      s._early = null; r._early = null;
      const pong = (ws, data) => { if (data.length < 40 && data.toString().startsWith('{"type":"ping"')) ws.send('{"type":"pong"}'); };
      // The sender's own traffic (acks, its own chat.message echo) is read but not parsed: only pings matter.
      s.on('message', (data) => pong(s, data));
      return {
        sockets: [s, r],
        send(n, stamp) {
          s.send(`{"type":"chat.send","requestId":"${n}","roomId":"${roomId}","clientMsgId":"m${n}","text":"${n}:${stamp}:${PAD}"}`);
        },
        onDelivery(cb) {
          r.on('message', (data) => {
            const m = JSON.parse(data.toString());
            if (m.type === 'event' && m.event.type === 'chat.message') {
              const t = m.event.message.text; const a = t.indexOf(':'); const b = t.indexOf(':', a + 1);
              cb(Number(t.slice(0, a)), BigInt(t.slice(a + 1, b)));
            } else if (m.type === 'ping') r.send('{"type":"pong"}');
          });
        },
      };
    },
    heartbeat() {},
  };
}

const adapters = {
  peerjs: {
    async pair(i) {
      const base = `ws://${opts.host}:${opts.port}/peerjs?key=peerjs`;
      const s = await openWs(`${base}&id=s${i}&token=ts${i}`);
      await firstMatching(s, (m) => m.type === 'OPEN');
      const r = await openWs(`${base}&id=r${i}&token=tr${i}`);
      await firstMatching(r, (m) => m.type === 'OPEN');
      const dst = 'r' + i;
      s._early = null; r._early = null;
      return {
        sockets: [s, r],
        send(n, stamp) {
          s.send(`{"type":"OFFER","dst":"${dst}","payload":{"n":${n},"t":"${stamp}","p":"${PAD}"}}`);
        },
        onDelivery(cb) {
          r.on('message', (data) => {
            const m = JSON.parse(data.toString());
            if (m.type === 'OFFER') cb(m.payload.n, BigInt(m.payload.t));
          });
          // the sender gets nothing back for an OFFER; nothing to drain on s
        },
      };
    },
    heartbeat(sockets) { for (const ws of sockets) ws.send('{"type":"HEARTBEAT"}'); },
  },
  presence: presenceAdapter(() => openWs(`ws://${opts.host}:${opts.port}/ws`)),
  'presence-tcp': presenceAdapter(() => openTcp(opts.host, opts.port)),
};

async function main() {
  const ad = adapters[opts.target];
  if (!ad) throw new Error('--target must be peerjs, presence or presence-tcp');
  const pairs = [];
  const t0 = Date.now();
  // connect a few pairs at a time
  for (let i = 0; i < opts.pairs; i += 16) {
    const batch = [];
    for (let j = i; j < Math.min(opts.pairs, i + 16); j++) batch.push(ad.pair(j));
    pairs.push(...await Promise.all(batch));
  }
  const connectMs = Date.now() - t0;
  const hist = new Histogram();
  let measuring = false, sent = 0, received = 0, duplicated = 0, sentMeasured = 0, recvMeasured = 0;
  const state = pairs.map(() => ({ next: 0, lastSeen: -1 }));
  let stopSending = false;
  pairs.forEach((p, i) => {
    const st = state[i];
    p.onDelivery((n, stamp) => {
      if (n <= st.lastSeen) { duplicated++; return; }
      st.lastSeen = n; received++;
      if (st.measured !== undefined && n >= st.measured) {
        recvMeasured++;
        hist.record(Number(nowNs() - stamp) / 1000);
      }
      if (opts.window && !stopSending) sendOne(i);
    });
  });
  function sendOne(i) {
    const st = state[i];
    pairs[i].send(st.next++, nowNs());
    sent++;
    if (measuring) sentMeasured++;
  }
  const hb = setInterval(() => pairs.forEach((p) => ad.heartbeat(p.sockets)), 5000);

  let pacer = null;
  if (opts.window) {
    for (let i = 0; i < pairs.length; i++) for (let k = 0; k < opts.window; k++) sendOne(i);
  } else {
    let credit = 0, last = nowNs(), next = 0;
    const cap = Math.max(1, opts.rate * 0.1);
    pacer = setInterval(() => {
      if (stopSending) return;
      const now = nowNs();
      credit = Math.min(cap, credit + opts.rate * Number(now - last) / 1e9); last = now;
      while (credit >= 1) { credit -= 1; sendOne(next); next = (next + 1) % pairs.length; }
    }, 5);
  }
  const cpu0 = process.cpuUsage();
  await sleep(opts.warmup * 1000);
  // from here: messages numbered >= the pair's next number count toward the measured window
  state.forEach((st) => { st.measured = st.next; });
  measuring = true;
  const m0 = nowNs();
  const cpuM0 = process.cpuUsage();
  await sleep(opts.duration * 1000);
  const measuredSec = Number(nowNs() - m0) / 1e9;
  const recvAtEnd = recvMeasured;
  const cpuM = process.cpuUsage(cpuM0);
  stopSending = true; measuring = false;
  if (pacer) clearInterval(pacer);
  const drainEnd = Date.now() + opts.drain * 1000;
  while (received + duplicated < sent && Date.now() < drainEnd) await sleep(20);
  clearInterval(hb);
  const out = {
    target: opts.target, mode: opts.window ? `window=${opts.window}` : `rate=${opts.rate}`, pairs: opts.pairs,
    payloadPad: opts.payload, connectMs, measuredSeconds: +measuredSec.toFixed(2),
    sentMeasured, deliveredMeasured: recvAtEnd,
    deliveredPerSecond: Math.round(recvAtEnd / measuredSec),
    sentTotal: sent, deliveredTotal: received, lost: sent - received, duplicated,
    p50ms: hist.pct(0.5) / 1000, p95ms: hist.pct(0.95) / 1000, p99ms: hist.pct(0.99) / 1000, maxms: hist.max / 1000,
    driverCpuPercent: Math.round((cpuM.user + cpuM.system) / 1e4 / measuredSec),
  };
  console.log(JSON.stringify(out));
  for (const p of pairs) for (const ws of p.sockets) ws.terminate();
  process.exit(0);
}

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
main().catch((e) => { console.error(e); process.exit(1); });
