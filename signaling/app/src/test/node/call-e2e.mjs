// Drives two isolated Chromium instances through the web client's calls and prints one JSON report on stdout for
// LiveCallBrowserTest to assert on. Usage: node call-e2e.mjs <baseUrl> <relay|open|resume|insecure|speak>
// a signs in (dev), creates and names a room (relay-only unless "open") and invites b by link; b joins as a guest;
// both start the call with fake camera and microphone. resume: b's WebSocket drops mid-call. insecure: the client
// opened over plain HTTP by a name that is not this machine's, as from another machine. speak: a's microphone is a
// steady tone (Chromium's default fake microphone beeps too briefly to count as speech); b must see a speaking, then
// not once a mutes.
// Every wait is bounded; the whole run is bounded by OVERALL_MS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Driver, signInDev, createRoom, inviteLink, joinAsGuest, startCall, mediaFlows, stats, total, report } from './client-lib.mjs';

const [, , baseUrl, scenario] = process.argv;
const OVERALL_MS = 60_000;
const d = new Driver(baseUrl, OVERALL_MS);
const killer = setTimeout(() => { console.error('e2e: overall timeout'); process.exit(3); }, OVERALL_MS);

// A name for this machine that the browser does not count as local (unlike localhost and 127.0.0.0/8), so plain
// HTTP to it is not a secure context: what a person on another machine gets. Resolved by Chromium alone.
const REMOTE_NAME = 'presence.test';

async function insecure() {
  const page = await d.open('insecure', undefined, [`--host-resolver-rules=MAP ${REMOTE_NAME} 127.0.0.1`,
    '--disable-features=HttpsUpgrades']);
  const remote = new URL(baseUrl);
  remote.hostname = REMOTE_NAME;
  await signInDev(page, remote.origin, 'eve');
  await createRoom(page, 'Far away', true);
  await page.click('#call-btn');
  await page.waitForSelector('#toast:not([hidden])', { timeout: 5_000 });
  return { secure: await page.evaluate(() => window.isSecureContext), toast: await page.textContent('#toast'),
    inCall: await page.isVisible('#tiles .tile'), pcs: await page.evaluate(() => window.__e2e.pcs.length),
    problems: d.problems };
}

// A loud, steady 440 Hz tone (RMS about 0.21, well above SPEAK_LEVEL): 16-bit PCM mono at 48 kHz, which Chromium
// loops as its fake microphone.
function toneWav() {
  const rate = 48_000;
  const n = rate * 2;
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0); b.writeUInt32LE(36 + n * 2, 4); b.write('WAVE', 8);
  b.write('fmt ', 12); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24); b.writeUInt32LE(rate * 2, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) { b.writeInt16LE(Math.round(0.3 * 32767 * Math.sin(2 * Math.PI * 440 * i / rate)), 44 + i * 2); }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'presence-tone-')), 'tone.wav');
  fs.writeFileSync(file, b);
  return file;
}

// The speaking state a page shows on a peer's tile, with what its own detector last measured.
const peerSpeaking = (page) => page.evaluate(() => {
  const t = Array.from(document.querySelectorAll('#tiles .tile')).find((x) => x.dataset.member !== 'local');
  return { speaking: !!t && t.classList.contains('speaking') };
});
const audioProbe = (page) => page.evaluate(() => ({ states: window.__e2e.audio.map((c) => c.state), levels: window.__e2e.levels }));

let exit = 0;
try {
  if (scenario === 'insecure') {
    console.log(JSON.stringify(await insecure()));
    await d.close();
    clearTimeout(killer);
    process.exit(0);
  }
  const a = await d.open('a', undefined,
    scenario === 'speak' ? [`--use-file-for-fake-audio-capture=${toneWav()}`] : []);
  const b = await d.open('b');
  await signInDev(a, baseUrl, 'ann');
  await createRoom(a, 'Call ' + scenario, scenario !== 'open');
  const { url } = await inviteLink(a, 'public', baseUrl);
  await a.click('#invite-close');
  await joinAsGuest(b, url, 'bob');
  await startCall(a);
  await startCall(b);
  await mediaFlows(d, a, { audio: 0, video: 0 });
  await mediaFlows(d, b, { audio: 0, video: 0 });
  const out = { scenario };
  // What the page shows: one tile per participant; only your own preview is silent.
  const tiles = (page) => page.evaluate(() => Array.from(document.querySelectorAll('#tiles .tile')).map((t) => {
    const v = t.querySelector('video');
    return { id: t.dataset.member, muted: v.muted, paused: v.paused,
      audioTracks: v.srcObject ? v.srcObject.getAudioTracks().length : 0 };
  }));
  out.aTiles = await tiles(a);
  out.bTiles = await tiles(b);
  out.privacy = await b.textContent('#privacy-state');
  if (scenario === 'resume') {
    const before = total(await stats(b));
    const beforeA = total(await stats(a));
    await b.evaluate(() => window.__e2e.cut());
    await d.poll('resume and refresh', 20_000, async () => {
      const s = await b.evaluate(() => ({ resumes: window.__e2e.resumes, refreshes: window.__e2e.refreshes }));
      return { ok: s.resumes >= 1 && s.refreshes >= 1, s };
    });
    // Media keeps (or starts again) flowing after the ICE restart: byte counters grow well beyond the drop.
    await mediaFlows(d, b, { audio: before.audio + 2000, video: before.video + 20000 });
    await mediaFlows(d, a, { audio: beforeA.audio + 2000, video: beforeA.video + 20000 });
    out.before = before;
  }
  if (scenario === 'speak') {
    out.speakingOn = await d.poll('b sees a speaking', 15_000, async () => {
      const s = await peerSpeaking(b);
      return { ok: s.speaking, s, a: await audioProbe(a) };
    });
    await a.click('#mute-btn');
    out.speakingOff = await d.poll('b sees a stop speaking once muted', 10_000, async () => {
      const s = await peerSpeaking(b);
      return { ok: !s.speaking, s, a: await audioProbe(a) };
    });
    out.muteLabel = await a.textContent('#mute-btn');
  }
  out.a = await report(a);
  out.b = await report(b);
  if (scenario === 'open') {
    // b leaves: a's tile for b goes, and b's page can start again.
    await b.click('#leave-call');
    await d.poll('b\'s tile gone from a', 10_000, async () => {
      const t = await tiles(a);
      return { ok: t.length === 1 && t[0].id === 'local', t };
    });
    out.bCanStartAgain = await b.isVisible('#call-btn') && await b.isEnabled('#call-btn');
  }
  out.problems = d.problems;
  console.log(JSON.stringify(out));
} catch (e) {
  console.error('e2e: ' + (e && e.stack || e));
  for (const p of d.problems) { console.error(p); }
  exit = 1;
} finally {
  await d.close();
  clearTimeout(killer);
}
process.exit(exit);
