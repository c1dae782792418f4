// presence.d.ts declares what presence.js exports: nothing exported goes undeclared, nothing declared is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as sdk from '../../main/resources/web/sdk/presence.js';

const dts = fs.readFileSync(new URL('../../main/resources/web/sdk/presence.d.ts', import.meta.url), 'utf8');

test('every export of presence.js is declared in presence.d.ts and the reverse', () => {
  const declared = new Set(Array.from(dts.matchAll(/^export declare (?:class|function|const) (\w+)/gm), (m) => m[1]));
  assert.deepEqual(Object.keys(sdk).sort(), Array.from(declared).sort());
});

test('the served contract: PresenceClient, Room, Call, Invites', () => {
  for (const name of ['PresenceClient', 'Room', 'Call', 'Invites']) {
    assert.equal(typeof sdk[name], 'function', name);
  }
});
