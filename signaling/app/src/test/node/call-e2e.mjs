// Drives two isolated Chromium instances through the appliance's call page and prints one JSON report on
// stdout for LiveCallBrowserTest to assert on. Usage: node call-e2e.mjs <baseUrl> <relay|open|resume|page|insecure>
// (page: the second browser uses the page as a person would: fills the room, double-clicks Join, clicks Leave;
// insecure: one browser opens the page over plain HTTP by a name that is not this machine's, as from another machine)
// Every wait is bounded; the whole run is bounded by OVERALL_MS.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [, , baseUrl, scenario] = process.argv;
const OVERALL_MS = 60_000;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection',
  // The driver starts page a without a click; a person's click on Join is what allows sound in a real browser.
  '--autoplay-policy=no-user-gesture-required'];

const started = Date.now();
const killer = setTimeout(() => { console.error('e2e: overall timeout'); process.exit(3); }, OVERALL_MS);
const browsers = [];

async function launch(name, extraArgs = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presence-e2e-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS.concat(extraArgs),
    timeout: 30_000,
  });
  browsers.push({ ctx, dir });
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[${name}] pageerror ${e}`));
  page.on('console', (m) => { if (m.type() === 'error') { console.error(`[${name}] ${m.text()}`); } });
  await page.goto(baseUrl + '/call/', { timeout: 15_000 });
  return page;
}

async function poll(what, timeoutMs, fn) {
  const end = Math.min(Date.now() + timeoutMs, started + OVERALL_MS - 5_000);
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last.ok) { return last; }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
}

const stats = (page) => page.evaluate(() => window.presenceTest.stats());
const total = (s) => Object.values(s).reduce((acc, p) => ({ audio: acc.audio + p.audio, video: acc.video + p.video }),
  { audio: 0, video: 0 });

// Media flows when every peer connection of the page has received more than `above` bytes of each kind.
async function mediaFlows(page, above) {
  return poll('media', 30_000, async () => {
    const s = await stats(page);
    const peers = Object.values(s);
    return { ok: peers.length === 1 && peers.every((p) => p.audio > above.audio && p.video > above.video), s };
  });
}

// What the page shows: the privacy checkbox, the mode line, and every media tile.
const view = (page) => page.evaluate(() => {
  const box = document.getElementById('relayOnly');
  const mode = document.getElementById('mode');
  return {
    checked: box.checked, disabled: box.disabled, mode: mode ? mode.textContent : null,
    state: window.presenceTest.state.state, peers: window.presenceTest.state.peers.size,
    policy: window.presenceTest.state.ice ? window.presenceTest.state.ice.iceTransportPolicy : null,
    tiles: Array.from(document.querySelectorAll('#videos video')).map((v) => ({
      id: v.id, muted: v.muted, paused: v.paused,
      audioTracks: v.srcObject ? v.srcObject.getAudioTracks().length : 0 })),
  };
});

// Like poll, but reports the last value instead of throwing, so the test can say what was wrong.
async function settle(timeoutMs, fn) {
  try {
    return (await poll('page state', timeoutMs, async () => ({ ok: await fn.check(), v: await fn.value() }))).v;
  } catch (e) {
    return await fn.value();
  }
}

async function pageScenario(out) {
  const a = await launch('a');
  const b = await launch('b');
  const room = await a.evaluate((o) => window.presenceTest.start(o), { name: 'ann', relayOnly: false });
  out.room = room;
  await b.fill('#name', 'bob');
  await b.fill('#room', room);
  out.beforeJoin = await view(b);           // the checkbox as the page was opened: checked by default
  await b.dblclick('#start');
  await poll('b in call', 20_000, async () => {
    const v = await view(b);
    return { ok: v.state === 'in-call' && v.peers >= 1, v };
  });
  // Media both ways, with one peer connection each (a second session of b would be a second peer of a).
  await mediaFlows(b, { audio: 0, video: 0 });
  await poll('a sees media', 20_000, async () => {
    const s = await stats(a);
    const peers = Object.values(s);
    return { ok: peers.length >= 1 && peers.every((p) => p.audio > 0 && p.video > 0), s };
  });
  out.a = await view(a);
  out.b = await view(b);
  await b.click('#leave');
  out.aAfterLeave = await settle(10_000, {
    check: async () => (await view(a)).tiles.filter((t) => t.id !== 'local').length === 0,
    value: () => view(a),
  });
  // Leaving takes two round trips (live.leave, bye) and the close: wait for the page to settle, then report it.
  out.bAfterLeave = await settle(10_000, {
    check: async () => (await view(b)).state === 'idle',
    value: () => view(b),
  });
}

// A name for this machine that the browser does not count as local (unlike localhost and 127.0.0.0/8), so plain
// HTTP to it is not a secure context: what a person on another machine gets. Resolved by Chromium alone.
const REMOTE_NAME = 'presence.test';

async function insecureScenario(out) {
  const page = await launch('insecure', [`--host-resolver-rules=MAP ${REMOTE_NAME} 127.0.0.1`,
    '--disable-features=HttpsUpgrades']);
  const look = () => page.evaluate(() => {
    const warning = document.getElementById('insecure');
    return { secure: window.isSecureContext, warningShown: !warning.hidden, warning: warning.textContent,
      joinDisabled: document.getElementById('start').disabled, status: document.getElementById('status').textContent };
  });
  out.local = await look();                 // launch() opened baseUrl: 127.0.0.1, a secure context
  const remote = new URL(baseUrl);
  remote.hostname = REMOTE_NAME;
  await page.goto(remote.origin + '/call/', { timeout: 15_000 });
  out.remoteUrl = page.url();
  out.remote = await look();
  // Join by script as well: it must refuse at once, without opening a connection or asking for a camera.
  out.startError = await page.evaluate(() => window.presenceTest.start({ name: 'eve', relayOnly: true })
    .then(() => null, (e) => String(e.message)));
  out.afterStart = await page.evaluate(() => ({ state: window.presenceTest.state.state,
    ws: window.presenceTest.state.ws !== null, stream: window.presenceTest.state.stream !== null }));
}

async function report(page) {
  return page.evaluate(async () => {
    const t = window.presenceTest;
    return { stats: await t.stats(), received: t.state.received, own: await t.ownAddresses(),
      errors: t.state.errors, resumes: t.state.resumes, refreshes: t.state.refreshes,
      iceTransportPolicy: t.state.ice.iceTransportPolicy, iceUrls: t.state.ice.iceServers[0].urls };
  });
}

let exit = 0;
try {
  if (scenario === 'page') {
    const out = { scenario };
    await pageScenario(out);
    console.log(JSON.stringify(out));
  } else if (scenario === 'insecure') {
    const out = { scenario };
    await insecureScenario(out);
    console.log(JSON.stringify(out));
  } else {
    const a = await launch('a');
    const b = await launch('b');
    const room = await a.evaluate((o) => window.presenceTest.start(o), { name: 'ann', relayOnly: scenario !== 'open' });
    await b.evaluate((o) => window.presenceTest.start(o), { name: 'bob', room });
    await mediaFlows(a, { audio: 0, video: 0 });
    await mediaFlows(b, { audio: 0, video: 0 });
    const out = { scenario, room };
    if (scenario === 'resume') {
      const before = total(await stats(b));
      const beforeA = total(await stats(a));
      await b.evaluate(() => window.presenceTest.dropSocket());
      await poll('resume and refresh', 20_000, async () => {
        const s = await b.evaluate(() => ({ resumes: window.presenceTest.state.resumes,
          refreshes: window.presenceTest.state.refreshes }));
        return { ok: s.resumes >= 1 && s.refreshes >= 1, s };
      });
      // Media keeps (or starts again) flowing after the ICE restart: byte counters grow well beyond the drop.
      await mediaFlows(b, { audio: before.audio + 2000, video: before.video + 20000 });
      await mediaFlows(a, { audio: beforeA.audio + 2000, video: beforeA.video + 20000 });
      out.before = before;
    }
    out.a = await report(a);
    out.b = await report(b);
    console.log(JSON.stringify(out));
  }
} catch (e) {
  console.error('e2e: ' + (e && e.stack || e));
  exit = 1;
} finally {
  for (const { ctx, dir } of browsers) {
    await ctx.close().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
  clearTimeout(killer);
}
process.exit(exit);
