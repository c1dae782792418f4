// The example page's own script: signs in with the development provider (the appliance must have it enabled),
// creates or joins a room, and hands the client to the widgets through <presence-client>.
import { PresenceClient } from './presence.js';
import './presence-widgets.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
if (params.get('room')) { $('room').value = params.get('room'); }

function show(roomId) {
  $('room-id').textContent = roomId;
  $('chat').setAttribute('room', roomId);
  $('call').setAttribute('room', roomId);
  $('rooms').setAttribute('selected', roomId);
}

$('signin').addEventListener('submit', async (e) => {
  e.preventDefault();
  const name = $('name').value.trim();
  const roomId = $('room').value.trim();
  if (!name) { return; }
  $('signin').querySelector('button').disabled = true;
  const client = new PresenceClient({ auth: { provider: 'dev', displayName: name } });
  client.addEventListener('statechange', (ev) => { $('state').textContent = ev.detail.state; });
  try {
    await client.connect();
    const room = roomId ? await client.joinRoom(roomId) : await client.createRoom({ relayOnly: true });
    $('me').textContent = name;
    $('avatar').setAttribute('name', name);
    $('avatar').setAttribute('user', client.userId);
    show(room.id);
    $('presence').client = client;
    $('signin').hidden = true;
  } catch (err) {
    $('state').textContent = 'failed: ' + (err.code || err.message);
    $('signin').querySelector('button').disabled = false;
  }
});

$('rooms').addEventListener('presence-room-select', (e) => show(e.detail.roomId));
