'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { describe, it, before, after } = require('node:test');
const { allowDecision, credentialsExchangeEvent, postLoginEvent, secrets, startWebhook } = require('../test/harness.js');

const RUNNER = path.join(__dirname, 'run-action.js');
const POST_LOGIN = path.join(__dirname, '..', 'actions', 'post-login', 'code.js');
const CREDENTIALS_EXCHANGE = path.join(__dirname, '..', 'actions', 'credentials-exchange', 'code.js');

/**
 * Spawns run-action.js the way the emulator does. Asynchronous on purpose: the loopback webhook
 * lives in this process and must keep answering while the child runs.
 * @param {string} stdin
 * @returns {Promise<{code: number | null, stdout: string, stderr: string}>}
 */
function runAction(stdin) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** @param {string} stdout */
function onlyLine(stdout) {
  const lines = stdout.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `stdout is exactly one line: ${stdout}`);
  return JSON.parse(lines[0]);
}

describe('run-action.js', () => {
  /** @type {Awaited<ReturnType<typeof startWebhook>>} */
  let hook;
  before(async () => {
    hook = await startWebhook(() => ({ json: allowDecision(['generate.report'], { grant_id: 'grt_7', expires_at: '2099-01-01T00:00:00Z' }) }));
  });
  after(() => hook.close());

  it('RunAction_PostLoginAllow_ReportsScopesClaimAndLogs', async () => {
    const event = postLoginEvent({
      transaction: { requested_scopes: ['openid', 'read.dataset', 'generate.report', 'share.output'] },
      secrets: secrets(hook.url),
    });

    const { code, stdout } = await runAction(JSON.stringify({ trigger: 'post-login', actions: [POST_LOGIN], event }));

    assert.equal(code, 0);
    assert.deepEqual(onlyLine(stdout), {
      ok: true,
      denied: null,
      access_token: {
        added_scopes: ['generate.report'],
        removed_scopes: ['share.output'],
        custom_claims: {
          'https://reflexive-identity/elevation': { grant_id: 'grt_7', scopes: ['generate.report'], exp: 4070908800 },
        },
      },
      id_token: { custom_claims: {} },
      app_metadata: {},
      logs: ['reflexive: elevation_allowed'],
    });
    assert.equal(hook.requests.at(-1)?.signatureValid, true);
  });

  it('RunAction_PostLoginLowTrust_ReportsDenyAndSkipsLaterActions', async () => {
    const event = postLoginEvent({ user: { app_metadata: { trust_score: 12 } }, secrets: secrets(hook.url) });

    const { code, stdout } = await runAction(JSON.stringify({
      trigger: 'post-login',
      actions: [POST_LOGIN, path.join(__dirname, 'testdata', 'post-login-sets-metadata.js')],
      event,
    }));

    assert.equal(code, 0);
    const result = onlyLine(stdout);
    assert.deepEqual(result.denied, { code: 'access_denied', reason: 'Integrity check failed.' });
    assert.deepEqual(result.app_metadata, {}, 'the action after the deny did not run');
    assert.deepEqual(result.logs, ['reflexive: trust_below_threshold']);
  });

  it('RunAction_SeveralActions_RunInOrderAndMergeResults', async () => {
    const event = postLoginEvent({ transaction: { requested_scopes: ['read.dataset'] }, secrets: secrets(hook.url) });

    const { code, stdout } = await runAction(JSON.stringify({
      trigger: 'post-login',
      actions: [POST_LOGIN, path.join(__dirname, 'testdata', 'post-login-sets-metadata.js')],
      event,
    }));

    assert.equal(code, 0);
    const result = onlyLine(stdout);
    assert.equal(result.denied, null);
    assert.deepEqual(result.app_metadata, { last_seen_ip: '203.0.113.7' });
    assert.deepEqual(result.id_token.custom_claims, { 'https://reflexive-identity/agent_id': 'agent_omega' });
    assert.deepEqual(result.logs, ['printed with console.log', 'printed with console.error', 'written to stdout']);
  });

  it('RunAction_CredentialsExchangeDeny_ReportsCodeAndReason', async () => {
    const event = credentialsExchangeEvent({
      client: { metadata: { revoked_scopes: 'generate.report' } },
      secrets: secrets(hook.url),
    });

    const { code, stdout } = await runAction(JSON.stringify({ trigger: 'credentials-exchange', actions: [CREDENTIALS_EXCHANGE], event }));

    assert.equal(code, 0);
    assert.deepEqual(onlyLine(stdout).denied, {
      code: 'invalid_scope',
      reason: 'Scope(s) revoked for this agent: generate.report. Request the token without them.',
    });
  });

  for (const [label, stdin, message] of [
    ['NotJson', 'not json', 'Input is not valid JSON.'],
    ['UnknownTrigger', JSON.stringify({ trigger: 'pre-user-registration', actions: [], event: {} }), '"trigger" must be one of: post-login, credentials-exchange.'],
    ['WrongHandler', JSON.stringify({ trigger: 'credentials-exchange', actions: [POST_LOGIN], event: {} }), `${POST_LOGIN} does not export onExecuteCredentialsExchange.`],
    ['ActionThrows', JSON.stringify({ trigger: 'post-login', actions: [path.join(__dirname, 'testdata', 'post-login-throws.js')], event: {} }), 'boom from action'],
  ]) {
    it(`RunAction_${label}_ReportsErrorWithExitCode1`, async () => {
      const { code, stdout } = await runAction(stdin);

      assert.equal(code, 1);
      assert.deepEqual(onlyLine(stdout), { ok: false, error: message });
    });
  }
});
