// Shared by the browser end-to-end drivers (client-e2e.mjs, call-e2e.mjs): Chromium with fake media, the web
// client driven as a person would (clicks, typing), and a test-only probe injected before the page's scripts
// (Playwright's init script, which CSP does not govern) that watches the page's WebSockets and peer connections.
// The client itself carries no test hooks.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required'];
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// Runs in the page before its modules. Records what the page received over the signaling socket (signals, the
// call's ICE settings, resumes, pushed credentials), every peer connection, CSP violations and alert() calls.
function probe() {
  const t = window.__e2e = { sockets: [], pcs: [], received: [], csp: [], alerts: 0, resumes: 0, refreshes: 0, ice: null,
    errors: [], sent: [] };
  document.addEventListener('securitypolicyviolation', (e) => t.csp.push(e.violatedDirective + ' ' + e.blockedURI));
  window.alert = () => { t.alerts++; };
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(...a) {
      super(...a);
      t.sockets.push(this);
      const send = this.send.bind(this);
      this.send = (data) => { try { const m = JSON.parse(data); if (m.type !== 'pong') { t.sent.push(m.type); } } catch (x) { /* not ours */ } return send(data); };
      this.addEventListener('message', (e) => {
        let m;
        try { m = JSON.parse(e.data); } catch (x) { return; }
        const ev = m.type === 'event' ? m.event : m;
        if (m.type === 'welcome' && m.resumed) { t.resumes++; }
        if (m.type === 'error') { t.errors.push(m.code + ': ' + m.message); }
        if (m.type === 'live.call') { t.ice = m.ice; }
        if (ev && ev.type === 'live.credentials' && m.type === 'event') { t.refreshes++; t.ice = ev.ice || t.ice; }
        if (ev && ev.type === 'live.signal') {
          if (ev.sdp) { t.received.push(ev.sdp); }
          if (ev.candidate) { t.received.push(ev.candidate); }
        }
      });
    }
  };
  // Speaking detection: the state of each AudioContext the page makes and the RMS level of the analyser's last
  // reads (the last 30), which is what the SDK's detector is fed.
  t.audio = [];
  t.levels = [];
  if (window.AudioContext) {
    const AC = window.AudioContext;
    window.AudioContext = class extends AC {
      constructor(...a) { super(...a); t.audio.push(this); }
    };
    const read = AnalyserNode.prototype.getFloatTimeDomainData;
    AnalyserNode.prototype.getFloatTimeDomainData = function (buf) {
      read.call(this, buf);
      let sum = 0;
      for (const v of buf) { sum += v * v; }
      t.levels.push(Math.round(Math.sqrt(sum / buf.length) * 1000) / 1000);
      if (t.levels.length > 30) { t.levels.shift(); }
    };
  }
  const PC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends PC {
    constructor(...a) { super(...a); t.pcs.push(this); }
  };
  // The network drops under the page: the socket ends as a dead one does, without a goodbye.
  t.cut = () => {
    for (const s of t.sockets) {
      if (s.readyState === WS.OPEN && s.onclose) { const h = s.onclose; s.onclose = null; h.call(s, new CloseEvent('close')); }
    }
  };
  t.stats = async () => {
    const out = {};
    let i = 0;
    for (const pc of t.pcs) {
      if (pc.connectionState === 'closed' || pc.signalingState === 'closed') { continue; }
      const report = await pc.getStats();
      const r = { audio: 0, video: 0, pair: null, iceState: pc.iceConnectionState };
      const byId = new Map();
      report.forEach((s) => byId.set(s.id, s));
      report.forEach((s) => {
        if (s.type === 'inbound-rtp') { r[s.kind] += s.bytesReceived || 0; }
        if (s.type === 'transport' && s.selectedCandidatePairId) {
          const pair = byId.get(s.selectedCandidatePairId);
          if (pair) {
            const l = byId.get(pair.localCandidateId);
            const rm = byId.get(pair.remoteCandidateId);
            r.pair = { local: l && l.candidateType, remote: rm && rm.candidateType, localUrl: l && l.url,
              localAddress: l && l.address, remoteAddress: rm && rm.address };
          }
        }
      });
      out['pc' + (i++)] = r;
    }
    return out;
  };
  // This browser's own addresses, from a private gathering that is never sent anywhere.
  t.ownAddresses = async () => {
    const pc = new PC({ iceServers: [] });
    pc.createDataChannel('probe');
    const found = new Set();
    const done = new Promise((resolve) => {
      pc.onicecandidate = (e) => { if (!e.candidate) { resolve(); } else if (e.candidate.address) { found.add(e.candidate.address); } };
      setTimeout(resolve, 3000);
    });
    await pc.setLocalDescription(await pc.createOffer());
    await done;
    pc.close();
    return Array.from(found);
  };
}

export class Driver {
  constructor(baseUrl, overallMs) {
    this.baseUrl = baseUrl;
    this.started = Date.now();
    this.overallMs = overallMs;
    this.browsers = [];
    this.problems = [];     // console errors, page errors, CSP violations: any one fails the run
  }

  /** A fresh browser profile (an isolated person), with the probe, watching for errors. */
  async open(name, viewport = DESKTOP, extraArgs = []) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presence-e2e-'));
    const ctx = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS.concat(extraArgs), viewport,
      timeout: 30_000,
    });
    this.browsers.push({ ctx, dir });
    await ctx.addInitScript(probe);
    const page = ctx.pages()[0] || await ctx.newPage();
    page.e2eName = name;
    page.on('pageerror', (e) => this.problems.push(`[${name}] pageerror ${e}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') { return; }
      const where = (m.location() && m.location().url) || '';
      this.problems.push(`[${name}] console ${m.text()} ${where}`);
    });
    page.on('dialog', (d) => { this.problems.push(`[${name}] dialog ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); });
    return page;
  }

  async poll(what, timeoutMs, fn) {
    const end = Math.min(Date.now() + timeoutMs, this.started + this.overallMs - 5_000);
    let last;
    while (Date.now() < end) {
      last = await fn();
      if (last.ok) { return last; }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
  }

  async close() {
    for (const { ctx, dir } of this.browsers) {
      await ctx.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

export const stats = (page) => page.evaluate(() => window.__e2e.stats());
export const total = (s) => Object.values(s).reduce((acc, p) => ({ audio: acc.audio + p.audio, video: acc.video + p.video }),
  { audio: 0, video: 0 });

/** Media flows when every peer connection of the page received more than `above` bytes of each kind. */
export function mediaFlows(d, page, above, peers = 1) {
  return d.poll(`media on ${page.e2eName}`, 30_000, async () => {
    const s = await stats(page);
    const list = Object.values(s);
    return { ok: list.length === peers && list.every((p) => p.audio > above.audio && p.video > above.video), s };
  });
}

export async function signInDev(page, baseUrl, name) {
  await page.goto(baseUrl + '/', { timeout: 15_000 });
  await page.waitForSelector('#signin:not([hidden])', { timeout: 10_000 });
  await page.click('#dev-box summary');
  await page.fill('#dev-name', name);
  await page.click('#dev-form button[type=submit]');
  await page.waitForSelector('#app:not([hidden])', { timeout: 15_000 });
}

/** Creates and names a room through the dialog; returns when it is open. */
export async function createRoom(page, name, relayOnly) {
  await page.click('#new-room');
  await page.fill('#new-room-name', name);
  await page.setChecked('#new-room-relay', relayOnly);
  await page.click('#new-room-form button[type=submit]');
  await page.waitForFunction((n) => document.getElementById('room-title').textContent === n, name, { timeout: 10_000 });
}

/**
 * Creates an invite link of `kind` in the open room; returns its URL as shown, moved to `baseUrl`: the appliance
 * names its configured public host (https, no port), which in a test is not where it listens.
 */
export async function inviteLink(page, kind, baseUrl) {
  await page.click('#invite-btn');
  await page.click(kind === 'public' ? '#invite-public' : '#invite-single');
  await page.waitForSelector('#invite-new:not([hidden])', { timeout: 10_000 });
  const shown = await page.inputValue('#invite-url');
  return { shown, url: baseUrl + new URL(shown).pathname };
}

export async function joinAsGuest(page, url, name) {
  await page.goto(url, { timeout: 15_000 });
  await page.waitForSelector('#join:not([hidden])', { timeout: 10_000 });
  await page.fill('#join-name', name);
  await page.click('#join-submit');
  await page.waitForSelector('#app:not([hidden])', { timeout: 15_000 });
  await page.waitForSelector('#composer:not([hidden])', { timeout: 15_000 });
}

export async function startCall(page) {
  await page.click('#call-btn');
  await page.waitForSelector('#tiles:not([hidden]) .tile', { timeout: 15_000 });
}

export async function report(page) {
  return page.evaluate(async () => {
    const t = window.__e2e;
    return { stats: await t.stats(), received: t.received, own: await t.ownAddresses(), resumes: t.resumes,
      refreshes: t.refreshes, errors: t.errors, sent: t.sent, iceTransportPolicy: t.ice && t.ice.iceTransportPolicy,
      iceUrls: t.ice && t.ice.iceServers[0].urls, csp: t.csp, alerts: t.alerts };
  });
}
