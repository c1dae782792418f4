// The open room's call: a grid of video tiles (yours and one per peer), mute and camera toggles, the speaking
// ring, and the room's privacy mode as the server reports it (never as the user asked for it).
import { Call, PresenceError } from '/sdk/presence.js';
import { $, h, avatar, avatarKind, toast } from './dom.js';

export class CallView {
  constructor(app) {
    this.app = app;
    this.call = null;
    this.room = null;
    this.tiles = new Map();   // memberId ('local' for yours) → tile element
    $('mute-btn').addEventListener('click', () => this.call && this.call.setMuted(!this.call.muted));
    $('cam-btn').addEventListener('click', () => this.call && this.call.setCamera(!this.call.camera));
    $('leave-call').addEventListener('click', () => this.leave());
    $('relay-toggle').addEventListener('change', (e) => this.setRelayOnly(e.target.checked));
  }

  get active() { return !!(this.call && this.call.active); }

  /** Shows the call strip of a room (its privacy mode; the tiles while in its call). */
  show(room) {
    if (this.room && this.room !== room && this.active) {
      // One call at a time, shown with its room: opening another room hangs up, and says so.
      this.leave();
      toast('You left the call.');
    }
    if (this.room !== room) {
      if (this.room) { this.room.removeEventListener('settings', this._onSettings); }
      this.room = room;
      this._onSettings = () => this.renderPrivacy();
      if (room) { room.addEventListener('settings', this._onSettings); }
    }
    $('call').hidden = !room;
    this.render();
  }

  async start() {
    if (!this.room || this.active || this._starting) { return; }
    if (!window.isSecureContext) {
      toast('Camera and microphone need HTTPS (or this machine). Open the https:// address of this server.');
      return;
    }
    this._starting = true;
    this.render();
    const call = new Call(this.room);
    this.call = call;
    call.addEventListener('stream', (e) => this.renderTiles());
    call.addEventListener('peer', () => this.renderTiles());
    call.addEventListener('peerleft', () => this.renderTiles());
    call.addEventListener('state', (e) => { this.onState(e.detail); this.renderTiles(); });
    call.addEventListener('left', () => { if (this.call === call) { this.call = null; this.render(); } });
    call.addEventListener('error', (e) => console.warn('call:', e.detail.error));
    try {
      await call.join();
    } catch (e) {
      this.call = null;
      toast(e instanceof PresenceError && e.code === 'limit_exceeded' ? 'This call is full.'
        : 'Could not start the call: ' + (e && e.message ? e.message : e));
    } finally {
      this._starting = false;
      this.render();
    }
  }

  async leave() {
    const call = this.call;
    this.call = null;
    if (call) { await call.leave(); }
    this.render();
  }

  async setRelayOnly(on) {
    const room = this.room;
    if (!room) { return; }
    try {
      await room.setRelayOnly(on);
    } catch (e) {
      const why = e.code === 'call_in_progress' ? 'The privacy mode can change only when nobody is in the call.'
        : e.code === 'forbidden' ? 'Only the room\'s owner can change this.' : 'Could not change the privacy mode.';
      toast(why);
    }
    this.renderPrivacy();
  }

  onState({ memberId, speaking }) {
    const tile = this.tiles.get(memberId === null ? 'local' : memberId);
    if (tile) { tile.classList.toggle('speaking', !!speaking); }
    this.renderButtons();
  }

  render() {
    const inCall = this.active;
    $('tiles').hidden = !inCall;
    $('call').classList.toggle('idle', !inCall);
    for (const id of ['mute-btn', 'cam-btn', 'leave-call']) { $(id).hidden = !inCall; }
    const btn = $('call-btn');
    btn.disabled = !this.room || this._starting;
    btn.hidden = inCall;
    btn.textContent = this._starting ? 'Joining…' : 'Start call';
    this.renderTiles();
    this.renderButtons();
    this.renderPrivacy();
  }

  renderButtons() {
    const c = this.call;
    const mute = $('mute-btn');
    const cam = $('cam-btn');
    mute.textContent = c && c.muted ? 'Unmute' : 'Mute';
    mute.setAttribute('aria-pressed', String(!!(c && c.muted)));
    cam.textContent = c && !c.camera ? 'Camera on' : 'Camera off';
    cam.setAttribute('aria-pressed', String(!!(c && !c.camera)));
  }

  renderPrivacy() {
    const room = this.room;
    const box = $('relay-toggle');
    const state = $('privacy-state');
    if (!room) { return; }
    // The mode the server confirmed: the call's ICE policy once in a call, else the room's setting.
    const hidden = this.active ? this.call.relayOnly === true : room.relayOnly === true;
    box.checked = hidden;
    const canChange = room.role === 'owner' || room.role === 'admin';
    box.disabled = !canChange || this.active;
    // Those who cannot change the mode see it in words only.
    box.parentElement.hidden = !canChange;
    box.parentElement.title = canChange ? 'Changes apply between calls' : 'Set by the room\'s owner';
    state.textContent = hidden
      ? 'Your IP address is hidden from other participants (calls go through this server).'
      : 'Participants in a call can see your IP address.';
    state.classList.toggle('hidden-ip', hidden);
  }

  renderTiles() {
    const grid = $('tiles');
    if (!this.active) {
      grid.replaceChildren();
      this.tiles.clear();
      return;
    }
    const want = new Map();
    want.set('local', { name: this.app.me.name, label: this.app.me.name + ' (you)', userId: this.app.me.userId,
      stream: this.call.stream, camera: this.call.camera, local: true });
    for (const p of this.call.peers.values()) {
      const m = this.room.members.get(p.memberId);
      const name = (m && m.displayName) || p.displayName || 'Someone';
      want.set(p.memberId, { name, label: name + (p.state.muted ? ' (muted)' : ''), userId: m && m.userId,
        stream: p.stream, camera: p.state.camera });
    }
    for (const [id, tile] of this.tiles) {
      if (!want.has(id)) { tile.remove(); this.tiles.delete(id); }
    }
    for (const [id, w] of want) {
      let tile = this.tiles.get(id);
      if (!tile) {
        const video = h('video', { autoplay: true, playsinline: true });
        // Your own preview is silent (no echo); a peer's tile plays their sound.
        video.muted = !!w.local;
        tile = h('div', { class: 'tile', 'data-member': id },
          h('div', { class: 'novideo' }, avatar(avatarKind(w.userId || ''), w.userId || id, w.name, 96, 'lg')),
          video, h('span', { class: 'label', text: w.label }));
        this.tiles.set(id, tile);
        grid.append(tile);
      }
      const video = tile.querySelector('video');
      if (w.stream && video.srcObject !== w.stream) { video.srcObject = w.stream; video.play().catch(() => {}); }
      // With the camera off the tile shows the avatar; the video element stays, so its sound keeps playing.
      video.style.visibility = w.camera === false ? 'hidden' : 'visible';
      tile.querySelector('.label').textContent = w.label;
    }
  }
}
