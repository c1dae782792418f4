// Two WebRTC peers with iceTransportPolicy 'relay' exchange a data-channel message through the TURN server
// given on the command line: node relay-pair.js <host> <port> <userA> <passA> <userB> <passB>
// Prints one JSON line: {ok, message, pairs: [{local, remote}, ...]} and exits 0 only when the message arrived
// and both selected candidate pairs are relay <-> relay.
'use strict';
const { RTCPeerConnection } = require('@roamhq/wrtc');

const [host, port, userA, passA, userB, passB] = process.argv.slice(2);
const url = `turn:${host}:${port}?transport=udp`;

function peer(username, credential) {
  return new RTCPeerConnection({
    iceServers: [{ urls: [url], username, credential }],
    iceTransportPolicy: 'relay',
  });
}

async function selectedPair(pc) {
  const stats = await pc.getStats();
  const byId = new Map();
  stats.forEach((s) => byId.set(s.id, s));
  let pair = null;
  stats.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = byId.get(s.selectedCandidatePairId);
  });
  if (!pair) {
    stats.forEach((s) => {
      if (s.type === 'candidate-pair' && s.state === 'succeeded' && (s.nominated || s.selected)) pair = pair || s;
    });
  }
  if (!pair) return null;
  const l = byId.get(pair.localCandidateId) || {};
  const r = byId.get(pair.remoteCandidateId) || {};
  const addr = (c) => `${c.address || c.ip}:${c.port}`;
  return { local: { type: l.candidateType, address: addr(l) }, remote: { type: r.candidateType, address: addr(r) } };
}

async function main() {
  const a = peer(userA, passA);
  const b = peer(userB, passB);
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate).catch(() => {});
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate).catch(() => {});
  const received = new Promise((resolve) => {
    b.ondatachannel = (e) => { e.channel.onmessage = (m) => resolve(String(m.data)); };
  });
  const channel = a.createDataChannel('chat');
  channel.onopen = () => channel.send('hello through the relay');
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 20000));
  const message = await Promise.race([received, timeout]);
  const pairs = [await selectedPair(a), await selectedPair(b)];
  const ok = message === 'hello through the relay'
    && pairs.every((p) => p && p.local.type === 'relay' && p.remote.type === 'relay');
  console.log(JSON.stringify({ ok, message, pairs }));
  a.close();
  b.close();
  setTimeout(() => process.exit(ok ? 0 : 1), 100);
}

main().catch((e) => {
  console.log(JSON.stringify({ ok: false, error: String(e) }));
  process.exit(1);
});
