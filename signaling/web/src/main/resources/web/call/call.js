// Presence call page: joins a room's call over the signaling WebSocket (dev auth) and runs one
// RTCPeerConnection per peer. Small on purpose: the later web client builds on it.
// Who offers: of two peers, the one that joined the call later (see signaling/PROTOCOL.md). Never renders
// user-supplied text as HTML (textContent only). The page shows the room's real call mode (room.joined's
// relayOnly), never the mode the user asked for.
'use strict';
(function () {
  const S = {
    ws: null, rid: 0, pending: new Map(), token: null, lastSeq: 0, closing: false,
    room: null, me: null, ice: null, stream: null, peers: new Map(), chain: Promise.resolve(),
    received: [], log: [], resumes: 0, resumeAttempts: 0, refreshes: 0, errors: [], state: 'idle',
    relayOnly: null
  };
  const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';

  // Browsers give camera and microphone only to a secure context: https://, or http:// on this machine
  // (localhost, 127.0.0.1). Elsewhere getUserMedia does not even exist, so the page says why instead of failing
  // at Join with a cryptic error, and Join stays off.
  const blocked = !window.isSecureContext
    ? 'Camera and microphone need HTTPS: this page was opened over plain HTTP from another machine ('
      + location.host + '). Open it over https:// (see the README\'s HTTPS section) or on this machine at '
      + 'http://localhost.'
    : (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia)
      ? 'This browser gives this page no camera or microphone (navigator.mediaDevices is missing).'
      : null;

  function note(text) {
    S.log.push(text);
    const el = document.getElementById('status');
    if (el) { el.textContent = text; }
  }

  function open() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error('websocket failed'));
      ws.onmessage = (e) => onFrame(ws, JSON.parse(e.data));
      ws.onclose = () => onClose(ws);
    });
  }

  function request(msg) {
    const id = String(++S.rid);
    msg.requestId = id;
    return new Promise((resolve, reject) => {
      S.pending.set(id, { resolve, reject });
      S.ws.send(JSON.stringify(msg));
    });
  }

  function onFrame(ws, m) {
    if (ws !== S.ws) { return; }
    if (m.type === 'ping') { ws.send('{"type":"pong"}'); return; }
    if (m.type === 'event') {
      if (m.seq <= S.lastSeq) { return; }       // replayed twice: already handled
      S.lastSeq = m.seq;
      S.chain = S.chain.then(() => onEvent(m.event)).catch((e) => S.errors.push(String(e)));
      return;
    }
    const p = m.requestId && S.pending.get(m.requestId);
    if (p) {
      S.pending.delete(m.requestId);
      if (m.type === 'error') { p.reject(new Error(m.code + ': ' + m.message)); } else { p.resolve(m); }
    }
  }

  // A dropped connection resumes the session: the call membership survives, the server pushes fresh
  // credentials (live.credentials event), and that triggers the ICE restart.
  function onClose(ws) {
    if (ws !== S.ws || S.closing || !S.token) { return; }
    S.state = 'reconnecting';
    note('reconnecting');
    setTimeout(resume, 200);
  }

  async function resume() {
    try {
      S.ws = await open();
      const welcome = await request({ type: 'hello', version: 1, resume: { token: S.token, lastSeq: S.lastSeq } });
      S.token = welcome.resumeToken; // a token works once: every resume hands out the next one
      S.resumes++;
      S.resumeAttempts = 0;
      S.state = 'in-call';
      note('resumed');
    } catch (e) {
      S.errors.push('resume: ' + e);
      // The session is gone (grace window over, or ended): a new one would be a new call member; stop here.
      if (String(e.message).startsWith('resume_failed') || ++S.resumeAttempts > 20) {
        S.state = 'ended';
        note('disconnected');
        endCall();
        return;
      }
      setTimeout(resume, 500);
    }
  }

  function rtcConfig() {
    return { iceServers: S.ice.iceServers, iceTransportPolicy: S.ice.iceTransportPolicy };
  }

  function peer(id, offerer) {
    let p = S.peers.get(id);
    if (p) { return p; }
    const pc = new RTCPeerConnection(rtcConfig());
    p = { id, pc, offerer, queued: [], inbound: false };
    S.peers.set(id, p);
    S.stream.getTracks().forEach((t) => pc.addTrack(t, S.stream));
    pc.onicecandidate = (e) => {
      if (e.candidate && e.candidate.candidate) {
        signal(id, { kind: 'candidate', candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid,
          sdpMLineIndex: e.candidate.sdpMLineIndex });
      } else if (!e.candidate) {
        signal(id, { kind: 'end-of-candidates' });
      }
    };
    pc.ontrack = (e) => {
      p.inbound = true;
      let v = document.getElementById(tileId(id));
      if (!v) {
        // A peer's tile plays its sound: only the local preview is muted (it would echo the microphone).
        v = document.createElement('video');
        v.id = tileId(id);
        v.autoplay = true;
        v.playsInline = true;
        document.getElementById('videos').appendChild(v);
      }
      if (v.srcObject !== e.streams[0]) {
        v.srcObject = e.streams[0];
        v.play().catch((err) => S.errors.push('play: ' + err));
      }
    };
    return p;
  }

  function tileId(memberId) {
    return 'v-' + memberId;
  }

  /** Closes the connection to a peer that left and takes its tile away. */
  function dropPeer(id) {
    const p = S.peers.get(id);
    if (p) { p.pc.close(); S.peers.delete(id); }
    const v = document.getElementById(tileId(id));
    if (v) { v.srcObject = null; v.remove(); }
  }

  /** The call is over for this page: every peer and tile goes, the camera stops, Join works again. */
  function endCall() {
    for (const id of Array.from(S.peers.keys())) { dropPeer(id); }
    if (S.stream) { S.stream.getTracks().forEach((t) => t.stop()); S.stream = null; }
    const local = document.getElementById('local');
    if (local) { local.srcObject = null; }
    setButtons();
  }

  /** What the room really is, from room.joined: shown in the checkbox (checked only when true) and in words. */
  function showMode(relayOnly) {
    S.relayOnly = relayOnly;
    const box = document.getElementById('relayOnly');
    if (box) { box.indeterminate = false; box.checked = relayOnly; box.disabled = true; }
    const text = relayOnly
      ? 'relay only: other members see the relay\'s address, not yours'
      : 'NOT private: other members of the call can see your IP addresses';
    const label = document.getElementById('relayOnlyLabel');
    if (label) { label.textContent = text; }
    const mode = document.getElementById('mode');
    if (mode) { mode.textContent = 'mode: ' + text; mode.dataset.relayOnly = String(relayOnly); }
  }

  /** Out of the room: the checkbox is the user's choice for a new room again. */
  function resetMode() {
    S.relayOnly = null;
    const box = document.getElementById('relayOnly');
    if (box) { box.disabled = false; box.checked = true; }
    const label = document.getElementById('relayOnlyLabel');
    if (label) { label.textContent = 'hide my IP (relay only) for the new room'; }
    const mode = document.getElementById('mode');
    if (mode) { mode.textContent = 'mode: not in a room yet'; delete mode.dataset.relayOnly; }
  }

  function signal(to, fields) {
    const msg = Object.assign({ type: 'live.signal', roomId: S.room, to }, fields);
    return request(msg).catch((e) => S.errors.push('signal: ' + e));
  }

  async function offer(p, restart) {
    const o = await p.pc.createOffer(restart ? { iceRestart: true } : {});
    await p.pc.setLocalDescription(o);
    await signal(p.id, { kind: 'offer', sdp: p.pc.localDescription.sdp, iceRestart: restart ? true : undefined });
  }

  async function flush(p) {
    for (const c of p.queued.splice(0)) { await p.pc.addIceCandidate(c); }
  }

  async function onEvent(ev) {
    if (ev.roomId !== S.room) { return; }
    switch (ev.type) {
      case 'live.joined':
        peer(ev.peer.memberId, false);            // the newcomer offers to us
        break;
      case 'live.left':
        dropPeer(ev.memberId);
        break;
      case 'live.credentials':
        // Pushed by the server before the old ones expire ("expiring": new allocations use them) and after a
        // resume ("resumed": the network may have changed, so restart ICE — the newer peer offers).
        S.refreshes++;
        S.ice = ev.ice;
        for (const p of S.peers.values()) {
          p.pc.setConfiguration(rtcConfig());
          if (ev.reason !== 'resumed') { continue; }
          if (p.offerer) { await offer(p, true); } else { await signal(p.id, { kind: 'restart' }); }
        }
        break;
      case 'live.signal': {
        const p = peer(ev.from, false);
        if (ev.sdp) { S.received.push(ev.sdp); }
        if (ev.candidate) { S.received.push(ev.candidate); }
        if (ev.kind === 'offer') {
          await p.pc.setRemoteDescription({ type: 'offer', sdp: ev.sdp });
          await flush(p);
          await p.pc.setLocalDescription(await p.pc.createAnswer());
          await signal(p.id, { kind: 'answer', sdp: p.pc.localDescription.sdp });
        } else if (ev.kind === 'answer') {
          await p.pc.setRemoteDescription({ type: 'answer', sdp: ev.sdp });
          await flush(p);
        } else if (ev.kind === 'candidate') {
          const c = { candidate: ev.candidate, sdpMid: ev.sdpMid, sdpMLineIndex: ev.sdpMLineIndex };
          if (p.pc.remoteDescription) { await p.pc.addIceCandidate(c); } else { p.queued.push(c); }
        } else if (ev.kind === 'restart' && p.offerer) {
          await offer(p, true);
        }
        break;
      }
      default:
        break;
    }
  }

  /**
   * Signs in (dev auth), creates or joins the room, starts the camera and joins the call. One at a time: a
   * second call while one is running (a double click) is refused, so one page is one session.
   */
  async function start(opts) {
    if (blocked) { throw new Error(blocked); }
    if (S.state !== 'idle') { throw new Error('already ' + S.state); }
    S.state = 'joining';
    setButtons();
    try {
      return await join(opts);
    } catch (e) {
      S.closing = true;
      S.token = null;
      if (S.ws) { S.ws.close(); }
      endCall();
      resetMode();
      S.state = 'idle';
      S.closing = false;
      setButtons();
      throw e;
    }
  }

  async function join(opts) {
    S.lastSeq = 0;                              // a new session numbers its events from 1
    S.room = null;
    S.ws = await open();
    const welcome = await request({ type: 'hello', version: 1, auth: { provider: 'dev', displayName: opts.name } });
    S.token = welcome.resumeToken;
    S.me = welcome.sessionId;
    const joined = opts.room
      ? await request({ type: 'room.join', roomId: opts.room })
      : await request({ type: 'room.create', relayOnly: !!opts.relayOnly });
    S.room = joined.roomId;
    showMode(joined.relayOnly === true);
    S.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
    const local = document.getElementById('local');
    if (local) { local.muted = true; local.srcObject = S.stream; }
    const call = await request({ type: 'live.join', roomId: S.room });
    S.ice = call.ice;
    showMode(call.relayOnly === true);
    S.state = 'in-call';
    setButtons();
    note('in call ' + S.room + (call.relayOnly ? ' (relay only)' : ' (NOT private)'));
    for (const other of call.peers) {
      S.chain = S.chain.then(() => offer(peer(other.memberId, true), false));
    }
    await S.chain;
    return S.room;
  }

  /** Leaves the call and the session; the page can join again. */
  async function leave() {
    if (S.state !== 'in-call' && S.state !== 'reconnecting') { return; }
    S.state = 'leaving';
    setButtons();
    try {
      await request({ type: 'live.leave', roomId: S.room });
      S.closing = true;                         // the server closes after bye: no resume
      await request({ type: 'bye' });
    } catch (e) {
      S.errors.push('leave: ' + e);
    }
    S.closing = true;
    S.token = null;
    S.ws.close();
    endCall();
    resetMode();
    S.closing = false;
    S.state = 'idle';
    setButtons();
    note('left');
  }

  function setButtons() {
    const join = document.getElementById('start');
    if (join) { join.disabled = S.state !== 'idle' || blocked !== null; }
    const leaveButton = document.getElementById('leave');
    if (leaveButton) { leaveButton.disabled = S.state !== 'in-call'; }
  }

  /** For the end-to-end test: per-peer inbound bytes by kind and the selected candidate pair. */
  async function stats() {
    const out = {};
    for (const p of S.peers.values()) {
      const report = await p.pc.getStats();
      const r = { audio: 0, video: 0, pair: null, iceState: p.pc.iceConnectionState };
      const byId = new Map();
      report.forEach((s) => byId.set(s.id, s));
      report.forEach((s) => {
        if (s.type === 'inbound-rtp') { r[s.kind] += s.bytesReceived || 0; }
        if (s.type === 'transport' && s.selectedCandidatePairId) {
          const pair = byId.get(s.selectedCandidatePairId);
          if (pair) {
            const l = byId.get(pair.localCandidateId);
            const rm = byId.get(pair.remoteCandidateId);
            r.pair = { local: l && l.candidateType, remote: rm && rm.candidateType,
              localUrl: l && l.url, localAddress: l && l.address, remoteAddress: rm && rm.address,
              relayProtocol: l && l.relayProtocol };
          }
        }
      });
      out[p.id] = r;
    }
    return out;
  }

  /** This browser's own addresses, from a private gathering that is never sent anywhere. */
  async function ownAddresses() {
    const pc = new RTCPeerConnection({ iceServers: [] });
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
  }

  function dropSocket() {
    S.ws.close();
  }

  window.presenceTest = { start, leave, stats, ownAddresses, dropSocket, state: S, blocked };

  if (blocked) {
    const warning = document.getElementById('insecure');
    if (warning) {
      warning.textContent = blocked;
      warning.hidden = false;
    }
    note('cannot join: no camera or microphone here');
  }

  const button = document.getElementById('start');
  if (button) {
    button.addEventListener('click', () => {
      if (S.state !== 'idle') { return; }
      const room = document.getElementById('room').value.trim();
      start({ name: document.getElementById('name').value || 'guest', room: room || null,
        relayOnly: document.getElementById('relayOnly').checked })
        .then((id) => { document.getElementById('room').value = id; })
        .catch((e) => note('failed: ' + e.message));
    });
  }
  const leaveButton = document.getElementById('leave');
  if (leaveButton) {
    leaveButton.addEventListener('click', () => { leave(); });
  }
  // Joining an existing room: its mode is the room's, not this checkbox's; it is shown once joined.
  const roomField = document.getElementById('room');
  if (roomField) {
    roomField.addEventListener('input', () => {
      if (S.relayOnly !== null) { return; }
      const box = document.getElementById('relayOnly');
      const existing = roomField.value.trim() !== '';
      box.indeterminate = existing;
      box.disabled = existing;
      document.getElementById('relayOnlyLabel').textContent = existing
        ? 'the room\'s own mode applies (shown after joining)' : 'hide my IP (relay only) for the new room';
    });
  }
  setButtons();
})();
