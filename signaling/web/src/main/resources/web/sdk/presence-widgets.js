// Presence widgets: custom elements on the SDK, each in its own shadow root, themable through CSS custom
// properties (--presence-accent, --presence-bg, --presence-fg, --presence-muted, --presence-border,
// --presence-font, --presence-radius). Importing this module defines them. SDK.md (signaling/web) is the guide.
//
// Every piece of user text (names, messages) reaches the DOM through textContent only; links are built with DOM
// APIs from splitLinks (http and https only) and are never fetched. Styles are constructed stylesheets, which the
// appliance's Content-Security-Policy admits without 'unsafe-inline'.
import { Call, avatarPath, splitLinks } from './presence.js';

const BASE_CSS = `
:host { font-family: var(--presence-font, system-ui, sans-serif); color: var(--presence-fg, #1b1d21);
  background: var(--presence-bg, #ffffff); border-radius: var(--presence-radius, 8px); display: block;
  box-sizing: border-box; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
button { font: inherit; border: 1px solid var(--presence-border, #d0d4da); background: var(--presence-bg, #fff);
  color: inherit; border-radius: var(--presence-radius, 8px); padding: .35em .8em; cursor: pointer; }
button.primary { background: var(--presence-accent, #2f6fed); border-color: var(--presence-accent, #2f6fed); color: #fff; }
button:disabled { opacity: .5; cursor: default; }
button[aria-pressed="true"] { background: var(--presence-accent, #2f6fed); color: #fff; }
.muted { color: var(--presence-muted, #6b7280); font-size: .85em; }
`;

function sheet(css) {
  const s = new CSSStyleSheet();
  s.replaceSync(BASE_CSS + css);
  return s;
}

/** An element with text, built with DOM APIs: `text` always goes in as textContent. */
function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) { e.className = className; }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
}

/** Message text with its http(s) links as anchors; nothing else becomes markup. */
export function renderText(text) {
  const frag = document.createDocumentFragment();
  for (const part of splitLinks(text)) {
    if (part.href) {
      const a = document.createElement('a');
      a.href = part.href;
      a.textContent = part.text;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      a.referrerPolicy = 'no-referrer';
      frag.appendChild(a);
    } else {
      frag.appendChild(document.createTextNode(part.text));
    }
  }
  return frag;
}

function time(ts) {
  try { return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }); } catch (e) { return ''; }
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * The provider: widgets inside a <presence-client> use its `client` unless they were given their own. Setting
 * `client` on it (once the page has signed in) reaches every widget below it.
 */
/**
 * A property set on the element before this module defined it (a page script that ran first) is an own data
 * property that would hide the accessor: take its value over.
 */
function adoptEarlyProperty(element, name) {
  if (Object.prototype.hasOwnProperty.call(element, name)) {
    const value = element[name];
    delete element[name];
    return value;
  }
  return undefined;
}

class PresenceClientElement extends HTMLElement {
  constructor() { super(); this._client = adoptEarlyProperty(this, 'client') || null; }
  get client() { return this._client; }
  set client(c) {
    this._client = c || null;
    this.dispatchEvent(new CustomEvent('presence-client-change', { detail: { client: this._client } }));
  }
}

/** Base of the widgets: finds the client (own property, else the nearest <presence-client>) and rebinds. */
class PresenceElement extends HTMLElement {
  constructor(css) {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.adoptedStyleSheets = [sheet(css)];
    this._own = adoptEarlyProperty(this, 'client') || null;
    this._bound = null;
    this._provider = null;
    this._onProvider = () => this._rebind();
  }

  get client() { return this._own || (this._provider && this._provider.client) || null; }
  set client(c) { this._own = c || null; this._rebind(); }

  connectedCallback() {
    this._provider = this.closest('presence-client');
    if (this._provider) { this._provider.addEventListener('presence-client-change', this._onProvider); }
    this._rebind();
  }

  disconnectedCallback() {
    if (this._provider) { this._provider.removeEventListener('presence-client-change', this._onProvider); }
    this._provider = null;
    this._rebind();
  }

  attributeChangedCallback() { if (this.isConnected) { this._rebind(true); } }

  _rebind(force) {
    const c = this.isConnected ? this.client : null;
    if (c === this._bound && !force) { return; }
    if (this._bound) { this.unbind(this._bound); }
    this._bound = c;
    if (c) { this.bind(c); } else { this.renderEmpty(); }
  }

  /** Adds a listener that unbind() removes. */
  listen(target, type, fn) {
    target.addEventListener(type, fn);
    (this._listeners || (this._listeners = [])).push([target, type, fn]);
  }

  unbind() {
    for (const [t, type, fn] of this._listeners || []) { t.removeEventListener(type, fn); }
    this._listeners = [];
  }

  bind() { }
  renderEmpty() { this.shadowRoot.replaceChildren(el('p', 'muted', 'not signed in')); }
}

/** Calls fn once the client is connected (now, or at its next welcome). */
function whenConnected(widget, client, fn) {
  if (client.state === 'connected') { fn(); return; }
  const once = () => { client.removeEventListener('welcome', once); if (widget._bound === client) { fn(); } };
  widget.listen(client, 'welcome', once);
}

// ---------------------------------------------------------------------------------------------------------------

const CHAT_CSS = `
:host { display: flex; flex-direction: column; min-height: 12em; border: 1px solid var(--presence-border, #d0d4da); }
.log { flex: 1; overflow-y: auto; padding: .5em .75em; min-height: 8em; }
.older { display: block; margin: 0 auto .5em; }
.msg { margin: .35em 0; line-height: 1.35; overflow-wrap: anywhere; }
.msg .name { font-weight: 600; margin-right: .4em; }
.msg .time { margin-right: .4em; }
.msg.pending { opacity: .6; }
.msg.deleted .text { font-style: italic; color: var(--presence-muted, #6b7280); }
.msg .actions { margin-left: .4em; visibility: hidden; }
.msg:hover .actions, .msg:focus-within .actions { visibility: visible; }
.msg .actions button { padding: 0 .4em; font-size: .8em; }
a { color: var(--presence-accent, #2f6fed); }
.typing { min-height: 1.4em; padding: 0 .75em; }
form { display: flex; gap: .5em; padding: .5em; border-top: 1px solid var(--presence-border, #d0d4da); }
input { flex: 1; font: inherit; padding: .4em .6em; border: 1px solid var(--presence-border, #d0d4da);
  border-radius: var(--presence-radius, 8px); background: var(--presence-bg, #fff); color: inherit; }
.error { color: #b42318; padding: 0 .75em; }
`;

/** <presence-chat room="…">: history with scroll-back, send box, typing line, edit and delete of own messages. */
class PresenceChatElement extends PresenceElement {
  static get observedAttributes() { return ['room']; }

  constructor() {
    super(CHAT_CSS);
    this.roomObject = null;
    this._editing = null;
    const root = this.shadowRoot;
    this._log = el('div', 'log');
    this._log.setAttribute('role', 'log');
    this._log.setAttribute('aria-live', 'polite');
    this._older = el('button', 'older', 'Load older messages');
    this._older.type = 'button';
    this._older.addEventListener('click', () => this._loadOlder());
    this._list = el('div', 'list');
    this._log.append(this._older, this._list);
    this._typing = el('div', 'typing muted');
    this._error = el('div', 'error');
    this._form = el('form');
    this._input = el('input');
    this._input.setAttribute('aria-label', 'Message');
    this._input.placeholder = 'Write a message';
    this._input.autocomplete = 'off';
    this._send = el('button', 'primary', 'Send');
    this._send.type = 'submit';
    this._form.append(this._input, this._send);
    this._form.addEventListener('submit', (e) => { e.preventDefault(); this._submit(); });
    this._input.addEventListener('input', () => { if (this.roomObject && this._input.value) { this.roomObject.typingActivity(); } });
    this._input.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this._editing) { this._cancelEdit(); } });
    this._log.addEventListener('scroll', () => { if (this._log.scrollTop === 0 && this.roomObject && this.roomObject.hasOlder) { this._loadOlder(); } });
    this._view = [this._log, this._typing, this._error, this._form];
    root.replaceChildren(...this._view);
  }

  renderEmpty() {
    this.roomObject = null;
    this._list.replaceChildren();
    this._typing.textContent = '';
    this._error.textContent = this.getAttribute('room') ? 'not signed in' : 'no room';
  }

  bind(client) {
    this.shadowRoot.replaceChildren(...this._view);
    const roomId = this.getAttribute('room');
    if (!roomId) { this.renderEmpty(); return; }
    const room = client.room(roomId);
    this.roomObject = room;
    this._error.textContent = '';
    const max = client.limits && client.limits.maxTextLength;
    if (max > 0) { this._input.maxLength = max; } else { this._input.removeAttribute('maxlength'); }
    const render = () => this._render();
    for (const t of ['message', 'edited', 'deleted', 'history', 'pending', 'members', 'joined']) { this.listen(room, t, render); }
    this.listen(room, 'message', () => this._markRead());
    this.listen(room, 'typing', () => this._renderTyping());
    this.listen(room, 'closed', () => { this._error.textContent = 'the room was closed'; });
    whenConnected(this, client, async () => {
      try {
        if (!room.joined) { await room.join(); }
        if (!room.messages.length) { await room.loadOlder(); }
        this._render(true);
        this._markRead();
      } catch (e) {
        this._error.textContent = 'cannot open the room: ' + (e.code || e.message);
      }
    });
    this._render(true);
  }

  unbind(client) {
    super.unbind(client);
    if (this.roomObject) { this.roomObject.stopTyping(); }
    this.roomObject = null;
  }

  _markRead() {
    const room = this.roomObject;
    if (!room || !room.messages.length || document.visibilityState === 'hidden') { return; }
    room.markRead(room.messages[room.messages.length - 1].id).catch(() => {});
  }

  async _loadOlder() {
    const room = this.roomObject;
    if (!room || this._loading) { return; }
    this._loading = true;
    const fromBottom = this._log.scrollHeight - this._log.scrollTop;
    try {
      await room.loadOlder();
      // Keep the message the reader was looking at in place.
      this._log.scrollTop = this._log.scrollHeight - fromBottom;
    } catch (e) {
      this._error.textContent = 'cannot load older messages: ' + (e.code || e.message);
    } finally {
      this._loading = false;
    }
  }

  _render(toBottom) {
    const room = this.roomObject;
    if (!room) { return; }
    const atBottom = toBottom || this._log.scrollHeight - this._log.scrollTop - this._log.clientHeight < 40;
    const me = this._bound && this._bound.userId;
    const rows = room.messages.map((m) => this._row(m, m.fromUserId === me));
    for (const p of room.pending) {
      const row = el('div', 'msg pending');
      row.append(el('span', 'name', 'you'), el('span', 'time muted', 'sending…'));
      const text = el('span', 'text');
      text.appendChild(renderText(p.text));
      row.appendChild(text);
      rows.push(row);
    }
    this._list.replaceChildren(...rows);
    this._older.hidden = !room.hasOlder;
    this._renderTyping();
    if (atBottom) { this._log.scrollTop = this._log.scrollHeight; }
  }

  _row(m, own) {
    const row = el('div', 'msg' + (m.deleted ? ' deleted' : ''));
    row.dataset.id = String(m.id);
    row.append(el('span', 'name', m.fromName), el('span', 'time muted', time(m.ts)));
    const text = el('span', 'text');
    if (m.deleted) { text.textContent = 'message deleted'; } else { text.appendChild(renderText(m.text)); }
    row.appendChild(text);
    if (m.editedAt && !m.deleted) { row.appendChild(el('span', 'muted', ' (edited)')); }
    if (own && !m.deleted) {
      const actions = el('span', 'actions');
      const edit = el('button', 'edit', 'Edit');
      edit.type = 'button';
      edit.addEventListener('click', () => this._startEdit(m));
      const del = el('button', 'delete', 'Delete');
      del.type = 'button';
      del.addEventListener('click', () => {
        this.roomObject.delete(m.id).catch((e) => { this._error.textContent = 'cannot delete: ' + (e.code || e.message); });
      });
      actions.append(edit, del);
      row.appendChild(actions);
    }
    return row;
  }

  _renderTyping() {
    const room = this.roomObject;
    if (!room) { return; }
    const names = room.typing.map((id) => (room.members.get(id) || {}).displayName).filter(Boolean);
    this._typing.textContent = names.length === 0 ? ''
      : names.length === 1 ? names[0] + ' is typing…' : names.join(', ') + ' are typing…';
  }

  _startEdit(m) {
    this._editing = m.id;
    this._input.value = m.text;
    this._send.textContent = 'Save';
    this._input.focus();
  }

  _cancelEdit() {
    this._editing = null;
    this._input.value = '';
    this._send.textContent = 'Send';
  }

  _submit() {
    const room = this.roomObject;
    const text = this._input.value;
    if (!room || !text.trim()) { return; }
    this._error.textContent = '';
    if (this._editing !== null) {
      const id = this._editing;
      this._cancelEdit();
      room.edit(id, text).catch((e) => { this._error.textContent = 'cannot edit: ' + (e.code || e.message); });
      return;
    }
    this._input.value = '';
    room.send(text).catch((e) => { this._error.textContent = 'not sent: ' + (e.message || e.code); this._render(); });
    this._render(true);
  }
}

// ---------------------------------------------------------------------------------------------------------------

const CALL_CSS = `
:host { border: 1px solid var(--presence-border, #d0d4da); padding: .5em; }
.bar { display: flex; gap: .5em; align-items: center; flex-wrap: wrap; margin-bottom: .5em; }
.grid { display: grid; gap: .5em; grid-template-columns: repeat(auto-fill, minmax(12em, 1fr)); }
.tile { position: relative; background: #111; border-radius: var(--presence-radius, 8px); overflow: hidden;
  aspect-ratio: 4 / 3; outline: 3px solid transparent; }
.tile.speaking { outline-color: var(--presence-accent, #2f6fed); }
.tile video { width: 100%; height: 100%; object-fit: cover; display: block; }
.tile .label { position: absolute; left: .4em; bottom: .3em; color: #fff; font-size: .85em;
  background: rgba(0,0,0,.5); padding: .1em .4em; border-radius: 4px; }
.mode { margin-left: auto; }
`;

/** <presence-call room="…">: join/leave, mute and camera buttons, a video tile per participant, speaking ring. */
class PresenceCallElement extends PresenceElement {
  static get observedAttributes() { return ['room']; }

  constructor() {
    super(CALL_CSS);
    this.call = null;
    this._join = el('button', 'primary join', 'Join call');
    this._join.type = 'button';
    this._join.addEventListener('click', () => (this.call ? this.stop() : this.start()).catch(() => {}));
    this._mute = el('button', 'mute', 'Mute');
    this._mute.type = 'button';
    this._mute.addEventListener('click', () => { if (this.call) { this.call.setMuted(!this.call.muted); } });
    this._cam = el('button', 'camera', 'Camera off');
    this._cam.type = 'button';
    this._cam.addEventListener('click', () => { if (this.call) { this.call.setCamera(!this.call.camera); } });
    this._mode = el('span', 'mode muted');
    this._status = el('div', 'status muted');
    this._grid = el('div', 'grid');
    const bar = el('div', 'bar');
    bar.append(this._join, this._mute, this._cam, this._mode);
    this._view = [bar, this._status, this._grid];
    this.shadowRoot.replaceChildren(...this._view);
    this._buttons();
  }

  bind() { this.shadowRoot.replaceChildren(...this._view); this._status.textContent = ''; this._buttons(); }

  unbind(client) {
    super.unbind(client);
    this.stop().catch(() => {});
  }

  renderEmpty() { this._status.textContent = 'not signed in'; this._buttons(); }

  /** Joins the room's call (call it from a click: browsers allow sound after a gesture). */
  async start() {
    const client = this._bound;
    const roomId = this.getAttribute('room');
    if (!client || !roomId || this.call) { return; }
    const room = client.room(roomId);
    const call = new Call(room);
    this.call = call;
    this._buttons();
    call.addEventListener('stream', (e) => this._tile(e.detail.memberId, e.detail.stream));
    call.addEventListener('peer', (e) => this._tile(e.detail.memberId, null, e.detail.peer.displayName));
    call.addEventListener('peerleft', (e) => { const t = this._tiles().get(e.detail.memberId); if (t) { t.remove(); } });
    call.addEventListener('state', (e) => this._state(e.detail));
    call.addEventListener('left', () => { if (this.call === call) { this.call = null; this._grid.replaceChildren(); this._buttons(); } });
    try {
      if (!room.joined) { await room.join(); }
      this._status.textContent = 'starting camera…';
      await call.join();
      this._tile('self', call.stream, 'you');
      this._mode.textContent = call.relayOnly ? 'relay only: others see the relay, not your address'
        : 'NOT private: others in the call can see your IP addresses';
      this._status.textContent = '';
    } catch (e) {
      this.call = null;
      this._grid.replaceChildren();
      this._status.textContent = 'cannot join the call: ' + (e.message || e.code);
      throw e;
    } finally {
      this._buttons();
    }
  }

  async stop() {
    const call = this.call;
    this.call = null;
    if (call) { await call.leave(); }
    this._grid.replaceChildren();
    this._mode.textContent = '';
    this._buttons();
  }

  _buttons() {
    const on = !!this.call;
    this._join.textContent = on ? 'Leave call' : 'Join call';
    this._join.disabled = !this._bound;
    this._mute.disabled = !on;
    this._cam.disabled = !on;
    this._mute.setAttribute('aria-pressed', String(on && this.call.muted));
    this._mute.textContent = on && this.call.muted ? 'Unmute' : 'Mute';
    this._cam.setAttribute('aria-pressed', String(on && !this.call.camera));
    this._cam.textContent = on && !this.call.camera ? 'Camera on' : 'Camera off';
  }

  _tiles() {
    const m = new Map();
    for (const t of this._grid.children) { m.set(t.dataset.member, t); }
    return m;
  }

  _tile(memberId, stream, name) {
    let tile = this._tiles().get(memberId);
    if (!tile) {
      tile = el('div', 'tile');
      tile.dataset.member = memberId;
      const v = document.createElement('video');
      v.autoplay = true;
      v.playsInline = true;
      // Only the local preview is muted: it would echo the microphone. Peers' tiles play their sound.
      v.muted = memberId === 'self';
      tile.append(v, el('span', 'label', name || (this.call && this.call.room.members.get(memberId) || {}).displayName || ''));
      this._grid.appendChild(tile);
    }
    if (stream) {
      const v = tile.querySelector('video');
      if (v.srcObject !== stream) { v.srcObject = stream; v.play().catch(() => {}); }
    }
  }

  _state(s) {
    const tile = this._tiles().get(s.memberId === null ? 'self' : s.memberId);
    if (tile) { tile.classList.toggle('speaking', !!s.speaking && !s.muted); }
    this._buttons();
  }
}

// ---------------------------------------------------------------------------------------------------------------

const ROOMS_CSS = `
:host { border: 1px solid var(--presence-border, #d0d4da); padding: .25em 0; }
ul { list-style: none; margin: 0; padding: 0; }
li button { width: 100%; display: flex; justify-content: space-between; border: 0; border-radius: 0; text-align: left; }
li button:hover, li button[aria-current="true"] { background: color-mix(in srgb, var(--presence-accent, #2f6fed) 12%, transparent); }
.unread { background: var(--presence-accent, #2f6fed); color: #fff; border-radius: 1em; padding: 0 .55em; font-size: .8em; }
p { margin: .5em .75em; }
`;

/**
 * <presence-rooms>: the user's persistent rooms with unread counts. A click fires `presence-room-select`
 * {roomId} (bubbles, composed); the `selected` attribute marks the current room.
 */
class PresenceRoomsElement extends PresenceElement {
  static get observedAttributes() { return ['selected']; }

  constructor() {
    super(ROOMS_CSS);
    this._rooms = [];
    this._timer = null;
  }

  bind(client) {
    const soon = () => { clearTimeout(this._timer); this._timer = setTimeout(() => this.refresh(), 300); };
    for (const t of ['chat.message', 'chat.read', 'chat.deleted', 'room.renamed', 'room.closed', 'read']) { this.listen(client, t, soon); }
    this.listen(client, 'welcome', soon);
    whenConnected(this, client, () => this.refresh());
    this._render();
  }

  unbind(client) { super.unbind(client); clearTimeout(this._timer); }

  async refresh() {
    const client = this._bound;
    if (!client || client.state !== 'connected') { return; }
    try {
      this._rooms = await client.listRooms();
      this._error = null;
    } catch (e) {
      this._rooms = [];
      this._error = e.code === 'not_supported' ? 'this server keeps no rooms' : 'cannot list rooms: ' + (e.code || e.message);
    }
    this._render();
  }

  _render() {
    if (this._error || !this._rooms.length) {
      this.shadowRoot.replaceChildren(el('p', 'muted', this._error || 'no rooms yet'));
      return;
    }
    const ul = el('ul');
    const selected = this.getAttribute('selected');
    for (const r of this._rooms) {
      const li = el('li');
      const b = el('button', 'room');
      b.type = 'button';
      b.dataset.room = r.roomId;
      if (r.roomId === selected) { b.setAttribute('aria-current', 'true'); }
      b.append(el('span', 'name', r.name));
      if (r.unread > 0) { b.append(el('span', 'unread', r.unread > 99 ? '99+' : r.unread)); }
      b.addEventListener('click', () => this.dispatchEvent(new CustomEvent('presence-room-select',
        { detail: { roomId: r.roomId }, bubbles: true, composed: true })));
      li.appendChild(b);
      ul.appendChild(li);
    }
    this.shadowRoot.replaceChildren(ul);
  }

  attributeChangedCallback() { this._render(); }
}

// ---------------------------------------------------------------------------------------------------------------

const AVATAR_CSS = `
:host { display: inline-block; width: var(--presence-avatar-size, 2em); height: var(--presence-avatar-size, 2em);
  border-radius: 50%; overflow: hidden; background: var(--presence-accent, #2f6fed); vertical-align: middle; }
img { width: 100%; height: 100%; object-fit: cover; display: block; }
span { display: flex; width: 100%; height: 100%; align-items: center; justify-content: center; color: #fff;
  font-size: .9em; font-weight: 600; }
`;

/**
 * <presence-avatar user="…" kind="user|room|guest" size="48" name="…">: the appliance's own avatar image
 * (avatarPath), with the name's initial when there is none. Needs no client.
 */
class PresenceAvatarElement extends HTMLElement {
  static get observedAttributes() { return ['user', 'kind', 'size', 'name']; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.adoptedStyleSheets = [sheet(AVATAR_CSS)];
  }

  connectedCallback() { this._render(); }
  attributeChangedCallback() { if (this.isConnected) { this._render(); } }

  _render() {
    const id = this.getAttribute('user');
    const name = this.getAttribute('name') || '';
    const initial = el('span', '', (name.trim()[0] || '?').toUpperCase());
    if (!id) { this.shadowRoot.replaceChildren(initial); return; }
    const kind = this.getAttribute('kind') || 'user';
    const size = Number(this.getAttribute('size')) || 48;
    const img = document.createElement('img');
    img.alt = name;
    img.decoding = 'async';
    img.referrerPolicy = 'no-referrer';
    try {
      // Against the appliance that served this module, also when the host page is on another origin.
      img.src = new URL(avatarPath(kind, id, Math.round(size * (window.devicePixelRatio || 1))), import.meta.url).href;
    } catch (e) {
      this.shadowRoot.replaceChildren(initial);
      return;
    }
    img.addEventListener('error', () => this.shadowRoot.replaceChildren(initial));
    this.shadowRoot.replaceChildren(img);
  }
}

function define(name, cls) {
  if (!customElements.get(name)) { customElements.define(name, cls); }
}
define('presence-client', PresenceClientElement);
define('presence-chat', PresenceChatElement);
define('presence-call', PresenceCallElement);
define('presence-rooms', PresenceRoomsElement);
define('presence-avatar', PresenceAvatarElement);

export { PresenceClientElement, PresenceChatElement, PresenceCallElement, PresenceRoomsElement, PresenceAvatarElement };
