// The web client as two people use it, in real Chromium; prints one JSON report for ClientBrowserTest.
// Usage: node client-e2e.mjs <baseUrl> <token> <screenshotDir> <second user's token>
// Ann (desktop, signed in with a token in the URL fragment) creates and names a room and invites a guest by
// link; the guest (phone-sized) opens it and joins with a hostile name; both chat, reply and see each other
// typing; the guest reloads and sees the history; both start a call; the guest's network drops mid-chat and
// comes back. Any console error, page error, dialog or CSP violation is reported (and fails the test).
import fs from 'node:fs';
import path from 'node:path';
import { Driver, DESKTOP, PHONE, createRoom, inviteLink, joinAsGuest, startCall, mediaFlows, stats, total, report } from './client-lib.mjs';

const [, , baseUrl, token, shots, bobToken] = process.argv;
const OVERALL_MS = 110_000;
const d = new Driver(baseUrl, OVERALL_MS);
const killer = setTimeout(() => { console.error('e2e: overall timeout'); process.exit(3); }, OVERALL_MS);
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_TEXT = '<script>alert(2)</script> and <img src=x onerror=alert(3)> see https://example.org/a?b=1';
fs.mkdirSync(shots, { recursive: true });

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, name + '.png') });
}

/** Message bodies as the page shows them (text, in order), and their ids. */
const messages = (page) => page.evaluate(() => Array.from(document.querySelectorAll('#messages li.msg')).map((li) => ({
  id: li.dataset.id || null, pending: li.classList.contains('pending'),
  who: (li.querySelector('.who') || {}).textContent, body: (li.querySelector('.body') || {}).textContent,
  quote: (li.querySelector('.quote') || {}).textContent || null,
  links: Array.from(li.querySelectorAll('.body a')).map((a) => ({ href: a.href, rel: a.rel, target: a.target })),
})));

async function send(page, text) {
  await page.fill('#composer-text', text);
  await page.press('#composer-text', 'Enter');
}

async function waitText(page, text, what) {
  return d.poll(what || `"${text}" on ${page.e2eName}`, 20_000, async () => {
    const m = await messages(page);
    return { ok: m.some((x) => !x.pending && x.body && x.body.includes(text)), n: m.length };
  });
}

/** Nothing that a name or message carried became markup: no injected element, no alert. */
const injected = (page) => page.evaluate(() => ({
  imgs: document.querySelectorAll('img[src="x"], img[src$="/x"]').length,
  scripts: Array.from(document.scripts).filter((s) => !s.src).length,
  alerts: window.__e2e.alerts,
}));

const out = {};
let exit = 0;
try {
  // The sign-in screen, at both sizes.
  const visitor = await d.open('visitor');
  await visitor.goto(baseUrl + '/', { timeout: 15_000 });
  await visitor.waitForSelector('#signin:not([hidden])');
  // Only the forms this server offers (/app/sign-in.json): tokens, no developer sign-in.
  await visitor.waitForSelector('#token-form:not([hidden])');
  out.signinForms = await visitor.evaluate(() => ({ token: !document.getElementById('token-form').hidden,
    friend: !document.getElementById('friend-box').hidden, dev: !document.getElementById('dev-box').hidden }));
  await shot(visitor, 'signin-desktop');
  await visitor.setViewportSize(PHONE);
  await shot(visitor, 'signin-phone');

  // Ann: a token in the fragment, gone from the address bar once read.
  const ann = await d.open('ann', DESKTOP);
  await ann.goto(baseUrl + '/#token=' + encodeURIComponent(token), { timeout: 15_000 });
  await ann.waitForSelector('#app:not([hidden])', { timeout: 15_000 });
  out.annUrlAfterSignIn = ann.url();
  await shot(ann, 'empty-desktop');
  await createRoom(ann, 'Design review', true);
  const invite = await inviteLink(ann, 'public', baseUrl);
  out.inviteShown = invite.shown;
  await shot(ann, 'invite-desktop');
  await ann.click('#invite-close');

  // The guest opens the link on a phone and joins under a hostile name.
  const guest = await d.open('guest', PHONE);
  await guest.goto(invite.url, { timeout: 15_000 });
  await guest.waitForSelector('#join:not([hidden])');
  await shot(guest, 'join-phone');
  await joinAsGuest(guest, invite.url, HOSTILE_NAME);
  out.guestRoomTitle = await guest.textContent('#room-title');

  // Chat both ways, with a link and markup that must stay text.
  await send(ann, 'Welcome! ' + HOSTILE_TEXT);
  await waitText(guest, 'Welcome!');
  await send(guest, 'Hi Ann, glad to be here');
  await waitText(ann, 'glad to be here');

  // Typing: the guest types without sending; Ann sees it.
  await guest.fill('#composer-text', 'typing something');
  await guest.type('#composer-text', '…');
  const typing = await d.poll('typing indicator', 10_000, async () => {
    const t = await ann.textContent('#typing');
    return { ok: t.includes('is typing'), t };
  });
  out.typing = typing.t;
  await guest.fill('#composer-text', '');

  // Ann replies to the guest's message.
  const annMsgs = await messages(ann);
  const theirs = annMsgs.find((m) => m.body && m.body.includes('glad to be here'));
  const li = ann.locator(`#messages li[data-id="${theirs.id}"]`);
  await li.hover();
  await li.locator('.actions button', { hasText: 'Reply' }).click();
  await ann.fill('#composer-text', 'Great to have you');
  await ann.keyboard.press('Enter');
  await waitText(guest, 'Great to have you');

  // Ann edits her welcome (Enter saves); an edit she abandons with Escape changes nothing.
  const mine = (await messages(ann)).find((m) => m.body && m.body.includes('Welcome!'));
  const mineLi = ann.locator(`#messages li[data-id="${mine.id}"]`);
  await mineLi.hover();
  await mineLi.locator('.actions button', { hasText: 'Edit' }).click();
  await ann.fill(`#messages li[data-id="${mine.id}"] textarea`, 'Welcome, everyone! ' + HOSTILE_TEXT);
  await ann.keyboard.press('Enter');
  await waitText(guest, 'Welcome, everyone!');
  const last = (await messages(ann)).find((m) => m.body && m.body.includes('Great to have you'));
  const lastLi = ann.locator(`#messages li[data-id="${last.id}"]`);
  await lastLi.hover();
  await lastLi.locator('.actions button', { hasText: 'Edit' }).click();
  await ann.fill(`#messages li[data-id="${last.id}"] textarea`, 'never saved');
  await ann.keyboard.press('Escape');
  out.afterEscape = (await messages(ann)).find((m) => m.id === last.id);

  // A single-use link that Ann revokes tells whoever opens it so, in words.
  await ann.click('#invite-btn');
  await ann.click('#invite-single');
  await ann.waitForSelector('#invite-new:not([hidden])');
  const single = baseUrl + new URL(await ann.inputValue('#invite-url')).pathname;
  await ann.waitForFunction(() => document.querySelectorAll('#invite-list li').length === 2);
  await ann.locator('#invite-list li', { hasText: 'Single-use' }).locator('button', { hasText: 'Revoke' }).click();
  await ann.waitForFunction(() => document.querySelectorAll('#invite-list li').length === 1);
  await ann.click('#invite-close');
  await visitor.setViewportSize(DESKTOP);
  await visitor.goto(single, { timeout: 15_000 });
  await visitor.fill('#join-name', 'Mallory');
  await visitor.click('#join-submit');
  await visitor.waitForFunction(() => document.getElementById('join-error').textContent.length > 0, null, { timeout: 15_000 });
  out.revokedMessage = await visitor.textContent('#join-error');
  out.revokedFormHidden = await visitor.isHidden('#join-form');
  await shot(visitor, 'join-revoked-desktop');

  out.guestMessages = await messages(guest);
  out.annMessages = await messages(ann);
  out.annInjected = await injected(ann);
  out.guestInjected = await injected(guest);
  await shot(ann, 'chat-desktop');
  await shot(guest, 'chat-phone');

  // The guest reloads: the same session resumes and the history is there.
  await guest.reload({ timeout: 15_000 });
  await guest.waitForSelector('#composer:not([hidden])', { timeout: 15_000 });
  await waitText(guest, 'Great to have you', 'history after reload');
  out.afterReload = await messages(guest);

  // The rooms drawer on the phone.
  await guest.click('#menu');
  await guest.waitForSelector('#drawer.open');
  await guest.waitForTimeout(300);
  await shot(guest, 'drawer-phone');
  await guest.keyboard.press('Escape');

  // A call with fake media, both ways.
  await startCall(ann);
  await startCall(guest);
  await mediaFlows(d, ann, { audio: 0, video: 0 });
  await mediaFlows(d, guest, { audio: 0, video: 0 });
  await ann.waitForTimeout(500);
  await shot(ann, 'call-desktop');
  await shot(guest, 'call-phone');

  // The guest's network drops mid-chat: what both send meanwhile arrives after the reconnect, once.
  const before = total(await stats(guest));
  await guest.context().setOffline(true);
  await guest.evaluate(() => window.__e2e.cut());
  await d.poll('guest sees it is not connected', 10_000, async () => {
    const s = await guest.getAttribute('#conn', 'data-state');
    return { ok: s !== 'connected', s };
  });
  out.offlineState = await guest.textContent('#conn-text');
  await send(guest, 'sent while offline 1');
  await send(guest, 'sent while offline 2');
  await send(ann, 'sent while the guest was away');
  out.pendingWhileOffline = (await messages(guest)).filter((m) => m.pending).length;
  await shot(guest, 'offline-phone');
  await guest.context().setOffline(false);
  await d.poll('guest reconnected', 20_000, async () => {
    const s = await guest.getAttribute('#conn', 'data-state');
    return { ok: s === 'connected', s };
  });
  await waitText(ann, 'sent while offline 2');
  await waitText(guest, 'sent while the guest was away');
  await ann.waitForTimeout(1000);
  out.annFinal = await messages(ann);
  out.guestFinal = await messages(guest);
  // The call comes back: ICE restarts after the resume and media flows again.
  await mediaFlows(d, guest, { audio: before.audio + 2000, video: before.video + 20000 });
  out.guestReport = await report(guest);
  out.annReport = await report(ann);

  // Enough chat for more than one page of history (paced below the server's message rate).
  for (let i = 1; i <= 55; i++) {
    await send(ann, 'bulk ' + i);
    await ann.waitForTimeout(60);
  }
  await waitText(guest, 'bulk 55');

  // A signed-in user who opens an invite link redeems it and lands in the room.
  await ann.click('#invite-btn');
  await ann.click('#invite-single');
  await ann.waitForSelector('#invite-new:not([hidden])');
  const forBob = new URL(await ann.inputValue('#invite-url')).pathname;
  await ann.click('#invite-close');
  await visitor.goto(baseUrl + forBob + '#token=' + encodeURIComponent(bobToken), { timeout: 15_000 });
  await visitor.waitForFunction(() => document.getElementById('room-title').textContent === 'Design review', null, { timeout: 15_000 });
  out.bobPath = new URL(visitor.url()).pathname;
  out.bobRole = await visitor.textContent('#room-sub');
  // Scroll-back: the newest page first; scrolling to the top loads older pages until the first message.
  await d.poll('bob sees the newest', 10_000, async () => {
    const m = await messages(visitor);
    return { ok: m.some((x) => x.body && x.body.startsWith('bulk 55')), n: m.length };
  });
  out.bobFirstPage = (await messages(visitor)).length;
  await d.poll('scroll-back to the first message', 20_000, async () => {
    await visitor.evaluate(() => { document.getElementById('log-wrap').scrollTop = 0; });
    const m = await messages(visitor);
    return { ok: m.some((x) => x.body && x.body.includes('Welcome, everyone!')), n: m.length };
  });
  out.bobAll = await messages(visitor);

  // Members: Ann makes Bob an admin (Bob's Invite button appears), then opens a direct conversation with him.
  await ann.click('#room-sub');
  await ann.waitForSelector('#members-dialog[open] #members-list li');
  out.memberRows = await ann.locator('#members-list li').count();
  await ann.selectOption('select[aria-label="Role of Bob"]', 'admin');
  await visitor.waitForSelector('#invite-btn:not([hidden])', { timeout: 10_000 });
  await shot(ann, 'members-desktop');
  await ann.click('button[aria-label="Message Bob"]');
  await ann.waitForFunction(() => document.getElementById('room-title').textContent === 'Bob', null, { timeout: 10_000 });
  await send(ann, 'just between us');
  // Bob's client lists it at once (room.listed), without a reload or a look at room.list.
  await d.poll('bob has the direct room', 10_000, async () => {
    const names = await visitor.evaluate(() => Array.from(document.querySelectorAll('#rooms .name')).map((n) => n.textContent));
    return { ok: names.includes('Ann'), names };
  });
  out.bobRooms = await visitor.evaluate(() => Array.from(document.querySelectorAll('#rooms li')).map((n) => n.textContent));

  // Deleting asks in the page's own dialog: Escape cancels and keeps the message; Tab stays in the dialog;
  // the confirm button deletes.
  await waitText(ann, 'just between us');
  const dm = (await messages(ann)).find((m) => !m.pending && m.body && m.body.includes('just between us'));
  const dmLi = ann.locator(`#messages li[data-id="${dm.id}"]`);
  await dmLi.hover();
  await dmLi.locator('.actions button', { hasText: 'Delete' }).click();
  await ann.waitForSelector('#confirm-dialog[open]');
  out.confirmFocus = await ann.evaluate(() => document.activeElement.id);
  for (let i = 0; i < 3; i++) { await ann.keyboard.press('Tab'); }
  out.focusInDialog = await ann.evaluate(() => !!document.activeElement.closest('#confirm-dialog'));
  await shot(ann, 'confirm-desktop');
  await ann.keyboard.press('Escape');
  await ann.waitForSelector('#confirm-dialog', { state: 'hidden' });
  out.afterCancel = (await messages(ann)).find((m) => m.id === dm.id);
  await dmLi.hover();
  await dmLi.locator('.actions button', { hasText: 'Delete' }).click();
  await ann.click('#confirm-ok');
  await d.poll('the message is deleted', 10_000, async () => {
    const m = (await messages(ann)).find((x) => x.id === dm.id);
    return { ok: !!m && m.body === 'This message was deleted.', m };
  });
  out.afterDelete = (await messages(ann)).find((m) => m.id === dm.id);
  // Bob had it unread; deleted, it no longer counts.
  const badge = await d.poll('bob\'s unread count drops', 10_000, async () => {
    const b = await visitor.evaluate(() => Array.from(document.querySelectorAll('#rooms li'))
      .filter((li) => li.querySelector('.name').textContent === 'Ann').map((li) => (li.querySelector('.badge') || {}).textContent || '')[0]);
    return { ok: b === '', b };
  });
  out.bobBadgeAfterDelete = badge.b;

  // Ann renames the room; Bob's list follows.
  await ann.locator('#rooms button', { hasText: 'Design review' }).click();
  await ann.waitForFunction(() => document.getElementById('room-title').textContent === 'Design review', null, { timeout: 10_000 });
  await ann.click('#rename-btn');
  await ann.waitForSelector('#rename-dialog[open]');
  await ann.fill('#rename-name', 'Design crit');
  await shot(ann, 'rename-desktop');
  await ann.press('#rename-name', 'Enter');
  await ann.waitForFunction(() => document.getElementById('room-title').textContent === 'Design crit', null, { timeout: 10_000 });
  const renamed = await d.poll('bob sees the new name', 10_000, async () => {
    const names = await visitor.evaluate(() => Array.from(document.querySelectorAll('#rooms .name')).map((n) => n.textContent));
    return { ok: names.includes('Design crit'), names };
  });
  out.bobRoomsAfterRename = renamed.names;
  out.annCloseButton = await ann.isVisible('#close-room-btn');
  out.bobCloseButton = await visitor.isVisible('#close-room-btn');
  // A personal invitation: Ann creates a room and, in its Invite dialog, invites Bob by his user id; Bob's list of
  // invitations shows it at once, and Join takes him there.
  const bobId = JSON.parse(Buffer.from(bobToken.split('.')[1], 'base64url').toString('utf8')).sub;
  await createRoom(ann, 'Planning', false);
  await ann.click('#invite-btn');
  await ann.waitForSelector('#invite-dialog[open]');
  await ann.click('#invite-person-btn');
  await ann.waitForFunction(() => document.getElementById('invite-person-error').textContent !== '');
  out.personEmptyError = await ann.textContent('#invite-person-error');
  await shot(ann, 'invite-person-error-desktop');
  await ann.fill('#invite-user', bobId);
  await ann.click('#invite-person-btn');
  await ann.waitForFunction(() => document.getElementById('invite-person-done').textContent !== '', null, { timeout: 10_000 });
  out.personDone = await ann.textContent('#invite-person-done');
  out.personErrorAfter = await ann.textContent('#invite-person-error');
  await ann.waitForFunction(() => Array.from(document.querySelectorAll('#invite-list li')).some((li) => li.textContent.includes('Personal invite')), null, { timeout: 10_000 });
  out.personListed = await ann.textContent('#invite-list');
  await shot(ann, 'invite-person-desktop');
  await ann.click('#invite-close');
  await visitor.waitForSelector('#invites-box:not([hidden]) #pending-invites li', { timeout: 10_000 });
  out.bobInvitation = await visitor.textContent('#pending-invites li');
  await shot(visitor, 'invitation-desktop');
  await visitor.locator('#pending-invites li button', { hasText: 'Join' }).click();
  await visitor.waitForFunction(() => document.getElementById('room-title').textContent === 'Planning', null, { timeout: 10_000 });
  out.bobInvitationsAfter = await visitor.isHidden('#invites-box');

  // An owner on a phone: the header keeps to what fits; rename and close are in the members dialog.
  await ann.setViewportSize(PHONE);
  await ann.click('#room-sub');
  await ann.waitForSelector('#members-dialog[open]');
  out.phoneOwner = await ann.evaluate(() => ({ rename: !!document.getElementById('members-rename').offsetParent,
    close: !!document.getElementById('members-close-room').offsetParent,
    headerFits: document.querySelector('.room-head').scrollWidth <= document.querySelector('.room-head').clientWidth }));
  await shot(ann, 'members-owner-phone');
  await ann.keyboard.press('Escape');
  await shot(ann, 'owner-phone');
  // Signing out forgets the tab's sign-in: a reload shows the sign-in screen, not Bob's rooms.
  await visitor.click('#sign-out');
  await visitor.waitForSelector('#signin:not([hidden])', { timeout: 10_000 });
  await visitor.reload({ timeout: 15_000 });
  await visitor.waitForSelector('#signin:not([hidden])', { timeout: 10_000 });
  out.afterSignOut = await visitor.evaluate(() => ({ app: !document.getElementById('app').hidden,
    kept: sessionStorage.getItem('presence.session') }));
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
