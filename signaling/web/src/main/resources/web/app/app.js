// Presence web client, served at / and /join/<token>. Built on the SDK (/sdk/presence.js): the SDK keeps the
// session (resume, replay, retries); this file is screens and state. No framework, no build step.
//
// Sign-in credentials live in sessionStorage (this tab only, gone when it closes) so a reload continues the same
// session: the SDK's `session` (resume token and seq) is kept there too, and a reload resumes it, replaying what
// was missed. A token may come in the URL fragment (#token=…), which browsers never send to the server, and is
// removed from the address bar at once.
import { PresenceClient, PresenceError } from '/sdk/presence.js';
import { $, h, avatar, avatarKind, richText, when, toast } from './dom.js';
import { CallView } from './call-view.js';

const STORE = 'presence.session';
const PAGE = 50;
const GROUP_MS = 5 * 60 * 1000;

const INVITE_ERRORS = {
  invite_expired: 'This invite link has expired. Ask the person who sent it for a new one.',
  invite_used: 'This single-use link has already been used. Ask for a new one.',
  invite_revoked: 'This invite link was withdrawn by the room\'s owner.',
  invite_unknown: 'This invite link is not valid. Check that you copied all of it.',
  forbidden: 'This invite is meant for someone else.',
};
const STATE_TEXT = { connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…', offline: 'Offline', closed: 'Signed out' };

const app = {
  client: null,
  me: { userId: null, name: '' },
  names: new Map(),      // roomId → name
  unread: new Map(),     // roomId → count
  current: null,         // the open Room
  replyTo: null,         // message id
  editing: null,         // message id
  nodes: new Map(),      // key → {sig, li} of the open room's rendered messages
  loadingOlder: false,
  unreadFrom: null,      // the first unread message id when the room was opened
  direct: new Set(),     // ids of direct rooms: they have no name, rename or close
  invites: new Map(),    // inviteId → a personal invite waiting for an answer
};
let callView;

// ---- storage --------------------------------------------------------------------------------------------------

function load() {
  try { return JSON.parse(sessionStorage.getItem(STORE)) || null; } catch (e) { return null; }
}
function save(patch) {
  const s = Object.assign(load() || {}, patch);
  try { sessionStorage.setItem(STORE, JSON.stringify(s)); } catch (e) { /* private mode: no reload resume */ }
}
function forget() { try { sessionStorage.removeItem(STORE); } catch (e) { /* nothing kept */ } }

// ---- screens --------------------------------------------------------------------------------------------------

function show(screen) {
  for (const id of ['signin', 'join', 'app']) { $(id).hidden = id !== screen; }
}

function setConn(state) {
  $('conn').hidden = false;
  $('conn').dataset.state = state;
  $('conn-text').textContent = STATE_TEXT[state] || state;
  // Messages written now wait and go out once the connection is back; say so where one writes.
  $('composer-text').placeholder = state === 'connected' ? 'Write a message'
    : 'Offline: messages will be sent when the connection is back';
}

function humanError(e) {
  if (e instanceof PresenceError) {
    if (INVITE_ERRORS[e.code]) { return INVITE_ERRORS[e.code]; }
    if (e.code === 'auth_failed') {
      return /provider/i.test(e.message) ? 'This server does not offer that way of signing in.' : e.message;
    }
    if (e.code === 'disconnected' || e.code === 'closed') { return 'Cannot reach the server. Check your connection.'; }
    return e.message || e.code;
  }
  return String(e && e.message ? e.message : e);
}

// ---- start ----------------------------------------------------------------------------------------------------

function joinToken() {
  const m = location.pathname.match(/^\/join\/([A-Za-z0-9_-]{1,128})$/);
  return m ? m[1] : null;
}

function fragmentToken() {
  const m = location.hash.match(/^#token=([^&]+)/);
  if (!m) { return null; }
  // Out of the address bar (and history) before anything else: it is a credential.
  history.replaceState(null, '', location.pathname + location.search);
  try { return decodeURIComponent(m[1]); } catch (e) { return null; }
}

/**
 * The sign-in forms this server offers (GET /app/sign-in.json); when that cannot be read, the token form, which
 * every production server has unless it is turned off, and never the developer form.
 */
async function loadProviders() {
  let providers = ['jwt'];
  try {
    const r = await fetch('/app/sign-in.json', { cache: 'no-cache', credentials: 'omit' });
    if (r.ok) {
      const body = await r.json();
      if (Array.isArray(body.providers)) { providers = body.providers.map(String); }
    }
  } catch (e) { /* keep the default */ }
  $('token-form').hidden = !providers.includes('jwt');
  $('friend-box').hidden = !providers.includes('friend');
  $('dev-box').hidden = !providers.includes('dev');
  $('signin-none').hidden = ['jwt', 'friend', 'dev'].some((p) => providers.includes(p));
  // The only form there is opens by itself.
  const open = ['friend-box', 'dev-box'].filter((id) => !$(id).hidden);
  if ($('token-form').hidden && open.length === 1) { $(open[0]).open = true; }
}

function showSignIn() {
  show('signin');
  const first = $('token-form').hidden ? document.querySelector('#signin details:not([hidden]) summary') : $('token-input');
  if (first) { first.focus(); }
}

async function boot() {
  callView = new CallView(app);
  wireSignIn();
  wireApp();
  await loadProviders();
  const invite = joinToken();
  const fromFragment = fragmentToken();
  const saved = load();
  if (fromFragment) {
    signIn({ provider: 'jwt', token: fromFragment }, null, invite);
  } else if (saved && saved.auth && (!invite || saved.auth.provider !== 'guest' || saved.auth.invite === invite)) {
    signIn(saved.auth, saved.session || null, saved.auth.provider === 'guest' ? null : invite);
  } else if (invite) {
    show('join');
    $('join-name').focus();
  } else {
    showSignIn();
  }
}

function wireSignIn() {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token-input').value.trim();
    if (token) { signIn({ provider: 'jwt', token }, null, joinToken()); }
  });
  $('friend-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn({ provider: 'friend', authId: $('friend-auth').value.trim(), login: $('friend-login').value }, null, joinToken());
  });
  $('dev-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const displayName = $('dev-name').value.trim();
    if (displayName) { signIn({ provider: 'dev', displayName }, null, joinToken()); }
  });
  $('join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const displayName = $('join-name').value.trim();
    if (displayName) { signIn({ provider: 'guest', invite: joinToken(), displayName }, null, null); }
  });
  $('join-signin').addEventListener('click', (e) => {
    // Keep the invite: a signed-in user who comes back here redeems it.
    e.preventDefault();
    showSignIn();
  });
}

/**
 * Opens the session. `resume` (the SDK's `session`, kept by this tab) continues the session after a reload; when
 * the server no longer has it, the SDK signs in afresh with `auth`. `redeem`: an invite token to redeem once
 * signed in.
 */
async function signIn(auth, resume, redeem) {
  const guest = auth.provider === 'guest';
  const errorBox = guest ? $('join-error') : $('signin-error');
  errorBox.textContent = '';
  for (const b of document.querySelectorAll('#signin button, #join button')) { b.disabled = true; }
  if (app.client) { app.client.close(); }
  const client = new PresenceClient({ auth, resume });
  app.client = client;
  client.addEventListener('statechange', (e) => setConn(e.detail.state));
  client.addEventListener('sessionchange', (e) => save({ auth, session: e.detail.session }));
  client.addEventListener('welcome', (e) => { if (!e.detail.resumed && app.started) { rejoinAll(); } });
  client.addEventListener('closing', (e) => { if (e.detail.reason === 'replaced') { toast('This session continued in another tab.'); } });
  client.addEventListener('room.closed', (e) => onRoomClosed(e.detail.roomId, 'This room was closed.'));
  client.addEventListener('room.listed', (e) => onRoomListed(e.detail.room));
  client.addEventListener('invite.received', (e) => { app.invites.set(e.detail.invite.inviteId, e.detail.invite); renderInvites(); });
  try {
    const welcome = await client.connect();
    app.me = { userId: welcome.userId, name: auth.displayName || '' };
    save({ auth });
    await enterApp(welcome, redeem);
  } catch (e) {
    forget();
    app.client = null;
    $('conn').hidden = true;
    show(guest ? 'join' : 'signin');
    errorBox.textContent = guest && resume && e.code === 'invite_used'
      ? 'Your guest visit has ended (you were away too long). Ask for a new link to come back.' : humanError(e);
    if (guest && e instanceof PresenceError && INVITE_ERRORS[e.code]) {
      // The link itself is what failed: another name would not help, so the form goes.
      $('join-title').textContent = 'This link doesn\'t work';
      $('join-form').hidden = true;
    }
  } finally {
    for (const b of document.querySelectorAll('#signin button, #join button')) { b.disabled = false; }
  }
}

// ---- the app --------------------------------------------------------------------------------------------------

async function enterApp(welcome, redeem) {
  show('app');
  app.started = true;
  let open = null;
  if (redeem) {
    try {
      const r = await app.client.invites.redeem(redeem);
      app.names.set(r.roomId, r.name);
      open = r.roomId;
    } catch (e) {
      toast(humanError(e));
    }
    history.replaceState(null, '', '/');
  }
  const saved = load();
  await refreshRooms();
  open = open || (saved && saved.room && app.names.has(saved.room) ? saved.room : null) || app.names.keys().next().value || null;
  await joinAll();
  if (welcome.resumed) {
    // After a reload the session may still be in a call this page knows nothing about.
    for (const id of app.names.keys()) { app.client.request({ type: 'live.leave', roomId: id }).catch(() => {}); }
  }
  if (open) { await openRoom(open); } else { renderRoom(); }
  loadInvites();
}

/**
 * A room this user is now in without asking (another user's direct room, a room the host platform's API created):
 * it is listed and joined at once.
 */
async function onRoomListed(listing) {
  if (!listing || !listing.roomId || app.names.has(listing.roomId)) { return; }
  if (listing.direct) { app.direct.add(listing.roomId); }
  app.names.set(listing.roomId, listing.name || null);
  app.unread.set(listing.roomId, listing.unread || 0);
  renderRooms();
  try { await joinRoom(listing.roomId); } catch (e) { /* listed; joined when opened */ }
  renderRooms();
}

async function refreshRooms() {
  try {
    const rooms = await app.client.listRooms();
    for (const r of rooms) {
      app.names.set(r.roomId, r.name);
      if (r.direct) { app.direct.add(r.roomId); }
      if (!app.current || app.current.id !== r.roomId) { app.unread.set(r.roomId, r.unread || 0); }
    }
  } catch (e) {
    toast(humanError(e));
  }
  renderRooms();
}

/** Joins every listed room, so their messages count as unread and their members' presence shows. */
async function joinAll() {
  await Promise.all(Array.from(app.names.keys()).map((id) => joinRoom(id).catch(() => null)));
  renderRooms();
}

async function rejoinAll() {
  await refreshRooms();
  await joinAll();
  if (app.current) { renderMessages(); }
}

const wired = new Set();
async function joinRoom(id) {
  const room = app.client.room(id);
  if (!wired.has(id)) {
    wired.add(id);
    room.addEventListener('message', (e) => onMessage(room, e.detail.message));
    for (const t of ['edited', 'deleted', 'pending']) { room.addEventListener(t, () => { if (room === app.current) { renderMessages(); } }); }
    room.addEventListener('deleted', (e) => {
      // An unread message deleted elsewhere is no longer unread (room.list does not count it either).
      const m = room.messages.find((x) => x.id === e.detail.messageId);
      const n = app.unread.get(id) || 0;
      if (room !== app.current && n > 0 && m && m.fromUserId !== app.me.userId && m.id > room.readMarker) {
        app.unread.set(id, n - 1);
        renderRooms();
      }
    });
    room.addEventListener('history', () => { if (room === app.current) { renderMessages(); } });
    room.addEventListener('typing', () => { if (room === app.current) { renderTyping(); } });
    room.addEventListener('members', () => {
      renderRooms();
      if (room === app.current) { renderHeader(); if ($('members-dialog').open) { renderMembers(); } }
    });
    room.addEventListener('renamed', (e) => { app.names.set(id, e.detail.name); renderRooms(); if (room === app.current) { renderHeader(); } });
    room.addEventListener('role', () => {
      if (room === app.current) { renderHeader(); callView.renderPrivacy(); if ($('members-dialog').open) { renderMembers(); } }
    });
    room.addEventListener('kicked', () => onRoomClosed(id, 'You were removed from this room.'));
  }
  if (!room.joined) { await room.join(); }
  const mine = room.memberList().find((m) => m.memberId === room.memberId);
  if (mine && mine.displayName) { app.me.name = mine.displayName; renderMe(); }
  return room;
}

function onMessage(room, m) {
  if (room === app.current) {
    renderMessages();
    markReadSoon();
  } else if (m.fromUserId !== app.me.userId) {
    app.unread.set(room.id, (app.unread.get(room.id) || 0) + 1);
    renderRooms();
  }
}

function onRoomClosed(id, why) {
  app.names.delete(id);
  app.unread.delete(id);
  if (app.current && app.current.id === id) {
    app.current = null;
    callView.show(null);
    toast(why);
    renderRoom();
  }
  renderRooms();
}

async function openRoom(id) {
  closeDrawer();
  if (app.current && app.current.id !== id) { app.current.stopTyping(); }
  let room;
  try {
    room = await joinRoom(id);
  } catch (e) {
    toast(humanError(e));
    return;
  }
  app.current = room;
  app.replyTo = null;
  app.editing = null;
  app.nodes.clear();
  $('messages').replaceChildren();
  save({ room: id });
  const unread = app.unread.get(id) || 0;
  app.unread.set(id, 0);
  renderRoom();
  callView.show(room);
  if (room.messages.length < PAGE && room.hasOlder) { await loadOlder(); }
  const others = room.messages.filter((m) => m.fromUserId !== app.me.userId && !m.deleted);
  app.unreadFrom = unread > 0 && others.length ? others[Math.max(0, others.length - unread)].id : null;
  renderMessages(true);
  markReadSoon();
  $('composer-text').focus();
}

// ---- rendering: rooms, header ---------------------------------------------------------------------------------

function renderMe() {
  $('me-name').textContent = app.me.name || app.me.userId || '';
  $('me-avatar').replaceChildren(avatar(avatarKind(app.me.userId || ''), app.me.userId || '', app.me.name, 64));
}

function roomPresence(room) {
  if (!room || !room.joined) { return 'offline'; }
  const others = room.memberList().filter((m) => m.userId !== app.me.userId);
  if (others.some((m) => m.state === 'online')) { return 'online'; }
  return others.some((m) => m.state === 'reconnecting') ? 'reconnecting' : 'offline';
}

/** A room's name; a direct room has none, so it goes by the other person's name. */
function roomName(id) {
  const n = app.names.get(id);
  if (n) { return n; }
  const room = app.client && app.client.rooms.get(id);
  const other = room && Array.from(room.memberships.values()).find((m) => m.userId !== app.me.userId);
  return other ? other.name || other.userId : 'Untitled room';
}

function renderRooms() {
  renderMe();
  const list = $('rooms');
  const ids = Array.from(app.names.keys()).sort((a, b) => roomName(a).localeCompare(roomName(b)));
  list.replaceChildren(...ids.map((id) => {
    const name = roomName(id);
    const room = app.client && app.client.rooms.get(id);
    const unread = app.unread.get(id) || 0;
    const presence = roomPresence(room);
    const label = name + (unread ? `, ${unread} unread` : '') + (presence === 'online' ? ', someone is here' : '');
    const btn = h('button', { type: 'button', 'aria-label': label, 'aria-current': app.current && app.current.id === id ? 'true' : 'false' },
      h('span', { class: 'presence', 'data-presence': presence }, avatar('room', id, name, 64)),
      h('span', { class: 'name', text: name }),
      unread ? h('span', { class: 'badge', text: String(unread > 99 ? '99+' : unread) }) : null);
    btn.addEventListener('click', () => openRoom(id));
    return h('li', null, btn);
  }));
  $('rooms-empty').hidden = ids.length > 0;
  // Unread elsewhere shows in the tab's title, so a background tab says when someone wrote.
  const total = ids.reduce((n, id) => n + (app.unread.get(id) || 0), 0);
  document.title = (total ? `(${total}) ` : '') + (app.current ? roomName(app.current.id) + ' · Presence' : 'Presence');
}

function renderRoom() {
  const room = app.current;
  $('composer').hidden = !room;
  $('room-empty').hidden = !!room;
  $('invite-btn').disabled = !room;
  $('invite-btn').hidden = !!room && !canInvite(room);
  $('rename-btn').hidden = !canRename(room);
  $('close-room-btn').hidden = !canClose(room);
  if (!room) {
    $('messages').replaceChildren();
    $('room-title').textContent = app.names.size ? 'Presence' : 'Welcome';
    $('room-sub').textContent = '';
    $('room-sub').hidden = true;
    $('room-avatar').replaceChildren();
    $('room-empty').querySelector('.empty-title').textContent = app.names.size ? 'Pick a room' : 'No conversations yet';
    $('call').hidden = true;
    $('call-btn').disabled = true;
    renderTyping();
    return;
  }
  renderHeader();
  renderRooms();
  renderTyping();
  renderReply();
}

function canInvite(room) { return room.role === 'owner' || room.role === 'admin'; }
// PROTOCOL.md § Rights: owners and admins rename a kept room, owners close it; a direct room neither.
function canRename(room) { return !!room && !app.direct.has(room.id) && (room.role === 'owner' || room.role === 'admin'); }
function canClose(room) { return !!room && !app.direct.has(room.id) && room.role === 'owner'; }

function renderHeader() {
  const room = app.current;
  if (!room) { return; }
  const name = roomName(room.id);
  $('room-title').textContent = name;
  $('room-avatar').replaceChildren(avatar('room', room.id, name, 80, 'lg'));
  const ms = room.memberships.size ? Array.from(room.memberships.values()) : room.memberList().map((m) => ({ presence: m.state }));
  const online = ms.filter((m) => m.presence === 'online').length;
  $('room-sub').hidden = false;
  $('room-sub').textContent = `${ms.length} ${ms.length === 1 ? 'member' : 'members'} · ${online} online` +
    (room.role === 'guest' ? ' · you are a guest' : '');
  $('invite-btn').hidden = !canInvite(room);
  $('invite-btn').disabled = false;
  $('rename-btn').hidden = !canRename(room);
  $('close-room-btn').hidden = !canClose(room);
  $('members-rename').hidden = !canRename(room);
  $('members-close-room').hidden = !canClose(room);
}

function renderTyping() {
  const room = app.current;
  const names = room ? room.typing.map((id) => { const m = room.members.get(id); return m ? m.displayName : null; }).filter(Boolean) : [];
  $('typing').textContent = names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…`
    : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : 'Several people are typing…';
}

// ---- rendering: messages --------------------------------------------------------------------------------------

function roleOf(room, userId) {
  const m = room.memberships.get(userId);
  if (m) { return m.role; }
  const member = room.memberList().find((x) => x.userId === userId);
  return member ? member.role : null;
}

function excerpt(text, n = 80) {
  const t = String(text).replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

/**
 * Reconciles the list with the room's messages and its unsent ones: a message's node is rebuilt only when what
 * it shows changed, and nodes are moved only when out of place, so focus (an edit box, a button) survives.
 */
function renderMessages(toBottom = false) {
  const room = app.current;
  if (!room) { return; }
  const wrap = $('log-wrap');
  const ol = $('messages');
  const nearBottom = wrap.scrollHeight - wrap.scrollTop - wrap.clientHeight < 80;
  const firstBefore = ol.firstElementChild;
  const firstTop = firstBefore ? firstBefore.offsetTop : 0;
  const items = [];
  let prev = null;
  const known = new Set(room.messages.map((m) => m.clientMsgId).filter(Boolean));
  for (const m of room.messages) {
    if (app.unreadFrom !== null && m.id === app.unreadFrom) { items.push({ key: 'unread', sig: 'unread', build: () => h('li', { class: 'unread-line', text: 'New messages' }) }); }
    const cont = !!(prev && !prev.deleted && !m.replyTo && prev.fromUserId === m.fromUserId && m.ts - prev.ts < GROUP_MS);
    const editing = app.editing === m.id;
    const sig = [m.text, m.editedAt, m.deleted, cont, editing, m.replyTo ? (room.messages.find((x) => x.id === m.replyTo) || {}).text : ''].join('\u0000');
    items.push({ key: 'm' + m.id, sig, build: () => messageNode(room, m, cont, editing) });
    prev = m;
  }
  for (const p of room.pending) {
    if (known.has(p.clientMsgId)) { continue; }
    items.push({ key: 'p' + p.clientMsgId, sig: 'p', build: () => pendingNode(room, p) });
  }
  const keep = new Set();
  items.forEach((it, i) => {
    let n = app.nodes.get(it.key);
    if (!n || n.sig !== it.sig) {
      const li = it.build();
      if (n) { n.li.replaceWith(li); }
      n = { sig: it.sig, li };
      app.nodes.set(it.key, n);
    }
    keep.add(it.key);
    if (ol.children[i] !== n.li) { ol.insertBefore(n.li, ol.children[i] || null); }
  });
  for (const [key, n] of app.nodes) { if (!keep.has(key)) { n.li.remove(); app.nodes.delete(key); } }
  $('room-empty').hidden = true;
  if (!items.length) {
    ol.replaceChildren();
    $('room-empty').hidden = false;
    $('room-empty').querySelector('.empty-title').textContent = 'No messages yet';
    $('room-empty').querySelector('.muted').textContent = 'Say hello — everyone in this room will see it.';
  }
  if (toBottom || nearBottom) {
    wrap.scrollTop = wrap.scrollHeight;
  } else if (firstBefore && firstBefore.isConnected) {
    // Older messages went in above: keep what the reader was looking at in place.
    wrap.scrollTop += firstBefore.offsetTop - firstTop;
  }
}

function messageNode(room, m, cont, editing) {
  const mine = m.fromUserId === app.me.userId;
  const role = roleOf(room, m.fromUserId);
  const li = h('li', { class: 'msg' + (cont ? ' cont' : '') + (m.deleted ? ' deleted' : ''), 'data-id': m.id, tabindex: '-1' });
  li.append(avatar(avatarKind(m.fromUserId), m.fromUserId, m.fromName, 64, 'lg'));
  li.append(h('div', { class: 'meta' },
    h('span', { class: 'who', text: m.fromName || 'Someone' }),
    role === 'guest' || role === 'owner' || role === 'admin' ? h('span', { class: 'role', text: role }) : null,
    h('time', { datetime: new Date(m.ts).toISOString(), text: when(m.ts) })));
  if (m.replyTo && !m.deleted) {
    const q = room.messages.find((x) => x.id === m.replyTo);
    const quote = h('button', { type: 'button', class: 'quote', 'aria-label': 'Go to the message this answers' },
      q ? `${q.fromName}: ${q.deleted ? 'message deleted' : excerpt(q.text)}` : 'Reply to an earlier message');
    quote.addEventListener('click', () => jumpTo(m.replyTo));
    li.append(quote);
  }
  if (m.deleted) {
    li.append(h('div', { class: 'body', text: 'This message was deleted.' }));
    return li;
  }
  if (editing) {
    const ta = h('textarea', { rows: '2', 'aria-label': 'Edit message' });
    ta.value = m.text;
    const save = h('button', { type: 'button', class: 'primary', text: 'Save' });
    const cancel = h('button', { type: 'button', text: 'Cancel' });
    const doSave = async () => {
      const text = ta.value.trim();
      if (!text || text === m.text) { app.editing = null; renderMessages(); return; }
      try { await room.edit(m.id, text); app.editing = null; } catch (e) { toast(e.code === 'forbidden' ? 'You cannot edit this message.' : humanError(e)); }
      renderMessages();
    };
    ta.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); app.editing = null; renderMessages(); $('composer-text').focus(); }
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); doSave(); }
    });
    save.addEventListener('click', doSave);
    cancel.addEventListener('click', () => { app.editing = null; renderMessages(); });
    li.append(h('div', { class: 'edit-box' }, ta, h('div', { class: 'row' }, save, cancel, h('span', { class: 'hint', text: 'Escape to cancel' }))));
    queueMicrotask(() => { ta.focus(); ta.setSelectionRange(ta.value.length, ta.value.length); });
    return li;
  }
  const body = h('div', { class: 'body' }, richText(m.text));
  if (m.editedAt) { body.append(' ', h('span', { class: 'edited', text: '(edited)' })); }
  li.append(body);
  const actions = h('div', { class: 'actions' });
  const reply = h('button', { type: 'button', text: 'Reply', 'aria-label': 'Reply to ' + (m.fromName || 'message') });
  reply.addEventListener('click', () => { app.replyTo = m.id; renderReply(); $('composer-text').focus(); });
  actions.append(reply);
  if (mine) {
    const edit = h('button', { type: 'button', text: 'Edit' });
    edit.addEventListener('click', () => { app.editing = m.id; renderMessages(); });
    actions.append(edit);
  }
  if (mine || room.role === 'owner' || room.role === 'admin') {
    const del = h('button', { type: 'button', text: 'Delete' });
    del.addEventListener('click', async () => {
      if (!await ask('Delete this message?', 'Everyone in the room will see that it was deleted.', 'Delete')) { return; }
      try { await room.delete(m.id); } catch (e) { toast(e.code === 'forbidden' ? 'You cannot delete this message.' : humanError(e)); }
    });
    actions.append(del);
  }
  li.append(actions);
  return li;
}

function pendingNode(room, p) {
  return h('li', { class: 'msg pending', 'data-pending': p.clientMsgId },
    avatar(avatarKind(app.me.userId), app.me.userId, app.me.name, 64, 'lg'),
    h('div', { class: 'meta' }, h('span', { class: 'who', text: app.me.name }), h('time', { text: 'sending…' })),
    h('div', { class: 'body', text: p.text }));
}

function jumpTo(id) {
  const n = app.nodes.get('m' + id);
  if (!n) { toast('That message is further back; scroll up to load it.'); return; }
  n.li.scrollIntoView({ block: 'center' });
  n.li.focus();
}

function renderReply() {
  const room = app.current;
  const m = room && app.replyTo ? room.messages.find((x) => x.id === app.replyTo) : null;
  $('reply-bar').hidden = !m;
  $('reply-text').textContent = m ? `Replying to ${m.fromName}: ${excerpt(m.text, 60)}` : '';
}

async function loadOlder() {
  const room = app.current;
  if (!room || app.loadingOlder || !room.hasOlder) { return; }
  app.loadingOlder = true;
  $('older').hidden = false;
  $('messages').setAttribute('aria-busy', 'true');
  try { await room.loadOlder(PAGE); } catch (e) { if (e.code !== 'disconnected') { toast(humanError(e)); } }
  app.loadingOlder = false;
  $('older').hidden = true;
  $('messages').removeAttribute('aria-busy');
  if (room === app.current) { renderMessages(); }
}

let readTimer = null;
/** Moves the read marker to the newest message once the reader can see it (tab visible, scrolled down). */
function markReadSoon() {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    const room = app.current;
    const wrap = $('log-wrap');
    if (!room || document.visibilityState !== 'visible' || !room.messages.length) { return; }
    if (wrap.scrollHeight - wrap.scrollTop - wrap.clientHeight > 120) { return; }
    const last = room.messages[room.messages.length - 1];
    room.markRead(last.id).catch(() => {});
  }, 250);
}

// ---- wiring ---------------------------------------------------------------------------------------------------

function send() {
  const room = app.current;
  const box = $('composer-text');
  const text = box.value.trim();
  if (!room || !text) { return; }
  const replyTo = app.replyTo || undefined;
  box.value = '';
  autosize();
  app.replyTo = null;
  renderReply();
  room.send(text, { replyTo }).catch((e) => toast('Not sent: ' + humanError(e)));
  renderMessages(true);
}

function autosize() {
  const box = $('composer-text');
  box.style.height = 'auto';
  box.style.height = Math.min(box.scrollHeight + 2, 144) + 'px';
}

function closeDrawer() {
  $('drawer').classList.remove('open');
  $('scrim').hidden = true;
  $('menu').setAttribute('aria-expanded', 'false');
}

function wireApp() {
  $('composer').addEventListener('submit', (e) => { e.preventDefault(); send(); });
  const box = $('composer-text');
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
    if (e.key === 'Escape' && app.replyTo) { app.replyTo = null; renderReply(); }
  });
  box.addEventListener('input', () => { autosize(); if (app.current && box.value) { app.current.typingActivity(); } });
  $('reply-cancel').addEventListener('click', () => { app.replyTo = null; renderReply(); box.focus(); });
  $('log-wrap').addEventListener('scroll', () => {
    if ($('log-wrap').scrollTop < 60) { loadOlder(); }
    markReadSoon();
  });
  document.addEventListener('visibilitychange', markReadSoon);
  $('menu').addEventListener('click', () => {
    const open = !$('drawer').classList.contains('open');
    $('drawer').classList.toggle('open', open);
    $('scrim').hidden = !open;
    $('menu').setAttribute('aria-expanded', String(open));
    if (open) { const first = $('drawer').querySelector('button'); if (first) { first.focus(); } }
  });
  $('scrim').addEventListener('click', closeDrawer);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && $('drawer').classList.contains('open')) { closeDrawer(); $('menu').focus(); } });
  $('sign-out').addEventListener('click', async () => {
    if (callView.active) { await callView.leave(); }
    if (app.client) { await app.client.close(); }
    // After close: closing ends the session, and its sessionchange would otherwise write the sign-in back.
    forget();
    location.replace('/');
  });
  $('call-btn').addEventListener('click', () => callView.start());

  // New room: create, then name it (naming is what keeps it).
  const dlg = $('new-room-dialog');
  $('new-room').addEventListener('click', () => { $('new-room-error').textContent = ''; $('new-room-name').value = ''; dlg.showModal(); });
  $('new-room-cancel').addEventListener('click', () => dlg.close());
  $('new-room-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = $('new-room-name').value.trim();
    if (!name) { return; }
    try {
      const room = await app.client.createRoom({ relayOnly: $('new-room-relay').checked });
      await room.setName(name);
      app.names.set(room.id, name);
      dlg.close();
      await openRoom(room.id);
    } catch (err) {
      $('new-room-error').textContent = err.code === 'forbidden' ? 'You cannot create rooms with this sign-in.'
        : err.code === 'not_supported' ? 'This server keeps no rooms (no database).' : humanError(err);
    }
  });

  // Rename and close (PROTOCOL.md § Rights decides who sees the buttons; the server decides again).
  const rn = $('rename-dialog');
  $('rename-btn').addEventListener('click', () => {
    $('rename-error').textContent = '';
    $('rename-name').value = app.current ? roomName(app.current.id) : '';
    rn.showModal();
    $('rename-name').select();
  });
  $('rename-cancel').addEventListener('click', () => rn.close());
  $('rename-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const room = app.current;
    const name = $('rename-name').value.trim();
    if (!room || !name) { return; }
    try {
      await room.rename(name);
      app.names.set(room.id, name);
      rn.close();
      renderRooms();
      renderHeader();
    } catch (err) {
      $('rename-error').textContent = rightsError(err);
    }
  });
  $('close-room-btn').addEventListener('click', async () => {
    const room = app.current;
    if (!room || !await ask(`Close “${roomName(room.id)}”?`,
      'The room, its chat and its invite links end for everyone. This cannot be undone.', 'Close room')) { return; }
    try {
      if (callView.active) { await callView.leave(); }
      await room.close();
      onRoomClosed(room.id, 'You closed the room.');
    } catch (err) {
      toast(rightsError(err));
    }
  });
  wireConfirm();
  for (const [from, to] of [['members-rename', 'rename-btn'], ['members-close-room', 'close-room-btn']]) {
    $(from).addEventListener('click', () => { $('members-dialog').close(); $(to).click(); });
  }

  // Members: who is here, and what the rights table lets this user do about them.
  $('room-sub').addEventListener('click', () => { $('members-error').textContent = ''; renderMembers(); $('members-dialog').showModal(); });
  $('members-close').addEventListener('click', () => $('members-dialog').close());

  // Invites.
  const inv = $('invite-dialog');
  $('invite-btn').addEventListener('click', () => {
    $('invite-new').hidden = true;
    $('invite-error').textContent = '';
    $('invite-person-error').textContent = '';
    $('invite-person-done').textContent = '';
    $('invite-user').value = '';
    inv.showModal();
    listInvites();
  });
  $('invite-person').addEventListener('submit', (e) => { e.preventDefault(); invitePerson(); });
  $('invite-close').addEventListener('click', () => inv.close());
  $('invite-public').addEventListener('click', () => createInvite('public'));
  $('invite-single').addEventListener('click', () => createInvite('single'));
  $('invite-copy').addEventListener('click', async () => {
    const input = $('invite-url');
    try { await navigator.clipboard.writeText(input.value); toast('Link copied.'); } catch (e) { input.select(); toast('Press Ctrl+C to copy the link.'); }
  });
}

// ---- confirmation ---------------------------------------------------------------------------------------------

let answer = null;
/**
 * Asks before something that cannot be undone, in the page's own modal dialog (the browser's confirm() cannot be
 * styled, blocks the page and reads "This page says"). Resolves true for the confirm button only; Escape, Cancel
 * and closing resolve false. Cancel has the focus first, so Enter alone never destroys anything.
 */
function ask(question, detail, confirmLabel) {
  const dlg = $('confirm-dialog');
  if (answer) { answer(false); }
  $('confirm-text').textContent = question;
  $('confirm-detail').textContent = detail || '';
  $('confirm-ok').textContent = confirmLabel;
  const back = document.activeElement;
  return new Promise((resolve) => {
    answer = (yes) => {
      answer = null;
      if (dlg.open) { dlg.close(); }
      if (back && back.isConnected && typeof back.focus === 'function') { back.focus(); }
      resolve(yes);
    };
    dlg.showModal();
    $('confirm-cancel').focus();
  });
}

function wireConfirm() {
  const dlg = $('confirm-dialog');
  $('confirm-ok').addEventListener('click', () => { if (answer) { answer(true); } });
  $('confirm-cancel').addEventListener('click', () => { if (answer) { answer(false); } });
  // Escape (the dialog's cancel) and any other way it closes count as No.
  dlg.addEventListener('close', () => { if (answer) { answer(false); } });
  // A modal dialog makes the page behind it inert; Tab still wraps through the browser's own controls, so it is
  // kept between the two buttons.
  dlg.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') { return; }
    const first = $('confirm-cancel');
    const last = $('confirm-ok');
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });
}

// ---- personal invitations -------------------------------------------------------------------------------------

async function loadInvites() {
  if (String(app.me.userId).startsWith('guest:')) { return; }
  try {
    for (const i of await app.client.invites.pending()) { app.invites.set(i.inviteId, i); }
  } catch (e) { /* a server without invites: nothing to show */ }
  renderInvites();
}

/** A user's name as some room this client knows shows it (an invite names only the user id), else the id. */
function nameOf(userId) {
  if (!userId) { return null; }
  for (const room of app.client ? app.client.rooms.values() : []) {
    const m = room.memberships.get(userId);
    if (m && m.name) { return m.name; }
    const member = room.memberList().find((x) => x.userId === userId && x.displayName);
    if (member) { return member.displayName; }
  }
  return userId;
}

function renderInvites() {
  const now = Date.now();
  for (const [id, i] of app.invites) { if (i.revoked || (i.expiresAt && i.expiresAt <= now)) { app.invites.delete(id); } }
  $('invites-box').hidden = app.invites.size === 0;
  $('pending-invites').replaceChildren(...Array.from(app.invites.values()).map((i) => {
    const from = nameOf(i.createdBy) || 'Someone';
    const accept = h('button', { type: 'button', class: 'primary', text: 'Join', 'aria-label': 'Accept the invitation from ' + from });
    const decline = h('button', { type: 'button', text: 'Decline', 'aria-label': 'Decline the invitation from ' + from });
    accept.addEventListener('click', async () => {
      try {
        const r = await app.client.invites.accept(i.inviteId);
        app.invites.delete(i.inviteId);
        app.names.set(r.roomId, r.name || null);
        renderInvites();
        await openRoom(r.roomId);
      } catch (e) { toast(humanError(e)); app.invites.delete(i.inviteId); renderInvites(); }
    });
    decline.addEventListener('click', async () => {
      try { await app.client.invites.decline(i.inviteId); } catch (e) { if (!INVITE_ERRORS[e.code]) { toast(humanError(e)); return; } }
      app.invites.delete(i.inviteId);
      renderInvites();
    });
    return h('li', null,
      h('span', { class: 'who small', text: `${from} invites you to a room` + (i.expiresAt ? ` · until ${when(i.expiresAt)}` : '') }),
      h('div', { class: 'row' }, accept, decline));
  }));
}

const RANK = { owner: 3, admin: 2, member: 1, guest: 0 };
const FORBIDDEN = {
  rank: 'Only an owner can change another owner.', last_owner: 'A room needs at least one owner.',
  guest: 'Guests keep the guest role and have no direct messages.', role: 'Your role does not allow that.',
  self: 'Use Leave to leave a room yourself.', direct_room: 'A direct conversation has just its two people.',
};

function rightsError(e) {
  if (e.code === 'forbidden') { return FORBIDDEN[e.reason] || 'You are not allowed to do that here.'; }
  if (e.code === 'unknown_member') { return 'That person is no longer a member.'; }
  return humanError(e);
}

function renderMembers() {
  const room = app.current;
  if (!room) { return; }
  const mine = room.role || 'member';
  const list = room.memberships.size ? Array.from(room.memberships.values())
    : room.memberList().map((m) => ({ userId: m.userId, name: m.displayName, role: m.role, presence: m.state }));
  list.sort((a, b) => (RANK[b.role] || 0) - (RANK[a.role] || 0) || String(a.name).localeCompare(String(b.name)));
  $('members-list').replaceChildren(...list.map((m) => {
    const self = m.userId === app.me.userId;
    const isGuest = m.role === 'guest' || String(m.userId).startsWith('guest:');
    const name = m.name || m.userId;
    const state = m.presence === 'online' ? 'online' : m.presence === 'reconnecting' ? 'reconnecting' : 'offline';
    const row = h('li', null,
      h('span', { class: 'presence', 'data-presence': state }, avatar(avatarKind(m.userId), m.userId, name, 64)),
      h('span', { class: 'who' }, h('span', { text: name + (self ? ' (you)' : '') }), h('span', { class: 'muted small', text: `${m.role} · ${state}` })));
    if (!self && mine === 'owner' && !isGuest && m.role !== 'owner') {
      const select = h('select', { 'aria-label': 'Role of ' + name });
      for (const r of ['member', 'admin', 'owner']) { select.append(h('option', { value: r, text: r[0].toUpperCase() + r.slice(1) })); }
      select.value = m.role;
      select.addEventListener('change', async () => {
        try { await room.setRole(m.userId, select.value); } catch (e) { $('members-error').textContent = rightsError(e); select.value = m.role; }
        renderMembers();
      });
      row.append(select);
    }
    if (!self && !isGuest && room.role !== 'guest' && !String(app.me.userId).startsWith('guest:')) {
      const dm = h('button', { type: 'button', text: 'Message', 'aria-label': 'Message ' + name });
      dm.addEventListener('click', () => openDirect(m.userId, name));
      row.append(dm);
    }
    if (!self && (RANK[mine] || 0) >= RANK.admin && (RANK[m.role] || 0) < RANK[mine]) {
      const kick = h('button', { type: 'button', class: 'danger', text: 'Remove', 'aria-label': 'Remove ' + name });
      kick.addEventListener('click', async () => {
        if (!await ask(`Remove ${name} from this room?`, 'They can come back only with a new invite.', 'Remove')) { return; }
        try { await room.kick(m.userId); renderMembers(); } catch (e) { $('members-error').textContent = rightsError(e); }
      });
      row.append(kick);
    }
    return row;
  }));
}

/** The private room of this user and another (room.direct): created on first use, then one of the rooms. */
async function openDirect(userId, name) {
  try {
    const room = await app.client.openDirect(userId);
    app.direct.add(room.id);
    // The other user's membership may carry no name until they come by: show the one the members list had.
    if (!app.names.get(room.id)) { app.names.set(room.id, name); }
    $('members-dialog').close();
    await openRoom(room.id);
  } catch (e) {
    $('members-error').textContent = e.code === 'not_supported' ? 'This server keeps no rooms.' : rightsError(e);
  }
}

async function createInvite(kind) {
  const room = app.current;
  $('invite-error').textContent = '';
  try {
    const r = await app.client.invites.create(room.id, kind);
    $('invite-url').value = new URL(r.url || '/join/' + r.token, location.origin).href;
    $('invite-new').hidden = false;
    $('invite-url').select();
    await listInvites();
  } catch (e) {
    $('invite-error').textContent = inviteError(e);
  }
}

/** A personal invite: the user finds it in their Invitations list, so there is no link to show. */
async function invitePerson() {
  const room = app.current;
  const input = $('invite-user');
  const userId = input.value.trim();
  $('invite-person-error').textContent = '';
  $('invite-person-done').textContent = '';
  if (!userId) { $('invite-person-error').textContent = 'Enter the user id of the person to invite.'; input.focus(); return; }
  if (app.me && userId === app.me.userId) { $('invite-person-error').textContent = 'You are in this room already.'; input.focus(); return; }
  const button = $('invite-person-btn');
  button.disabled = true;
  try {
    await app.client.invites.create(room.id, 'targeted', { userId });
    input.value = '';
    $('invite-person-done').textContent = `Invited ${userId}. They can accept it from their Invitations.`;
    await listInvites();
  } catch (e) {
    $('invite-person-error').textContent = e.code === 'invalid_field' ? `"${userId}" is not a valid user id.` : inviteError(e);
    input.focus();
  } finally {
    button.disabled = false;
  }
}

function inviteError(e) {
  if (e.code === 'forbidden') { return 'Only the room\'s owners and admins can invite people.'; }
  if (e.code === 'not_persistent') { return 'Name the room first: only named rooms can have invites.'; }
  return humanError(e);
}

async function listInvites() {
  const room = app.current;
  let invites = [];
  try { invites = (await app.client.invites.list(room.id)).filter((i) => !i.revoked && (!i.expiresAt || i.expiresAt > Date.now())); } catch (e) { $('invite-error').textContent = inviteError(e); }
  $('invite-empty').hidden = invites.length > 0;
  $('invite-list').replaceChildren(...invites.map((i) => {
    const label = (i.kind === 'public' ? 'Link' : i.kind === 'single' ? 'Single-use link'
      : 'Personal invite' + (i.userId ? ` for ${i.userId}` : '')) +
      ` · expires ${when(i.expiresAt)}` + (i.kind === 'public' ? ` · used ${i.uses || 0}×` : '');
    const revoke = h('button', { type: 'button', class: 'danger', text: 'Revoke' });
    revoke.addEventListener('click', async () => {
      try {
        await app.client.invites.revoke(room.id, i.inviteId);
        await listInvites();
      } catch (e) { $('invite-error').textContent = inviteError(e); }
    });
    return h('li', null, h('span', { text: label }), revoke);
  }));
}

boot();
