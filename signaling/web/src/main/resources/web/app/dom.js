// Small DOM helpers for the web client. Every string from the server or a user goes in through textContent (or
// an attribute set by name), never through innerHTML, so a display name or message can never become markup.
import { avatarPath, splitLinks } from '/sdk/presence.js';

/** h('li', {class: 'x', 'aria-label': 'y'}, child, 'text', …): children are nodes or strings (as text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) { continue; }
      if (k === 'class') { el.className = v; } else if (k === 'text') { el.textContent = v; } else { el.setAttribute(k, v === true ? '' : String(v)); }
    }
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) { continue; }
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

/** Up to two letters of a name, for the avatar that stands in when the image does not load. */
export function initials(name) {
  // Letters and digits only: a name like "<b>" gives "B", not a stray bracket.
  const parts = String(name || '').split(/\s+/).map((p) => (p.match(/[\p{L}\p{N}]/u) || [''])[0]).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.join('').toUpperCase() || '?';
}

/** The avatar kind of a user id: guests have their own, rooms are asked for explicitly. */
export function avatarKind(userId) {
  return String(userId).startsWith('guest:') ? 'guest' : 'user';
}

/**
 * An avatar from this server (the SDK's avatarPath: the only place that maps ids to paths); while it loads, and
 * if it never does, the initials show, so a missing avatar service costs nothing but the picture.
 */
export function avatar(kind, id, name, size = 64, extraClass = '') {
  const box = h('span', { class: 'avatar ' + extraClass, 'aria-hidden': 'true', text: initials(name) });
  const img = new Image();
  img.alt = '';
  img.decoding = 'async';
  img.addEventListener('load', () => { box.textContent = ''; img.className = 'avatar ' + extraClass; box.replaceWith(img); img.setAttribute('aria-hidden', 'true'); }, { once: true });
  img.src = avatarPath(kind, id, size);
  return box;
}

/** Message text with http(s) links as anchors that open elsewhere and are never fetched or previewed here. */
export function richText(text) {
  const frag = document.createDocumentFragment();
  for (const part of splitLinks(text)) {
    if (part.href) {
      frag.append(h('a', { href: part.href, rel: 'noopener noreferrer', target: '_blank', referrerpolicy: 'no-referrer' }, part.text));
    } else {
      frag.append(document.createTextNode(part.text));
    }
  }
  return frag;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export function when(ts) {
  const d = new Date(ts);
  const today = new Date();
  return d.toDateString() === today.toDateString() ? TIME.format(d) : DAY.format(d);
}

let toastTimer = null;
export function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 5000);
}
