'use strict';

// Auth0 deploys each Action as a single file, so the webhook client is copied into each one.
// This test is what keeps the copies from drifting apart.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { it } = require('node:test');

const BEGIN = '// ---- reflexive elevation client: BEGIN ----';
const END = '// ---- reflexive elevation client: END ----';
const ACTIONS = ['post-login', 'credentials-exchange'];

/** @param {string} action */
function elevationClientOf(action) {
  const source = fs.readFileSync(path.join(__dirname, '..', 'actions', action, 'code.js'), 'utf8');
  const start = source.indexOf(BEGIN);
  const end = source.indexOf(END);
  assert.ok(start >= 0 && end > start, `${action}/code.js has exactly one elevation client block`);
  assert.equal(source.indexOf(BEGIN, start + 1), -1, `${action}/code.js has one BEGIN marker`);
  return source.slice(start, end + END.length);
}

it('ElevationClient_CopiesInEveryAction_AreByteIdentical', () => {
  const [first, ...others] = ACTIONS.map(elevationClientOf);

  assert.ok(first.length > 1000, 'the block holds the client, not an empty stub');
  for (const [i, copy] of others.entries()) {
    assert.equal(copy, first, `actions/${ACTIONS[i + 1]}/code.js differs from actions/${ACTIONS[0]}/code.js`);
  }
});

it('Actions_RequireOnlyNodeBuiltIns', () => {
  for (const action of ACTIONS) {
    const source = fs.readFileSync(path.join(__dirname, '..', 'actions', action, 'code.js'), 'utf8');
    const required = [...source.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);

    assert.deepEqual(required, ['crypto'], `${action}/code.js must stay a single file without npm dependencies`);
  }
});
