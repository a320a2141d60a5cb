'use strict';

const assert = require('node:assert/strict');
const { describe, it, before, after, beforeEach, mock } = require('node:test');
const { onExecuteCredentialsExchange } = require('./code.js');
const {
  allowDecision, closedPortUrl, createRecordingApi, credentialsExchangeEvent, refusal, secrets, startWebhook,
} = require('../../test/harness.js');

const CLAIM = 'https://reflexive-identity/elevation';
const INTEGRITY_FAILED = 'Integrity check failed.';

/**
 * Runs the Action with a recording api; `logs` holds what it printed.
 * @param {any} event
 */
async function run(event) {
  const recording = createRecordingApi('credentials-exchange');
  const log = mock.method(console, 'log', () => {});
  try {
    await onExecuteCredentialsExchange(event, recording.api);
  } finally {
    log.mock.restore();
  }
  return { ...recording, logs: log.mock.calls.map((c) => c.arguments.join(' ')) };
}

describe('credentials-exchange', () => {
  /** @type {import('../../test/harness.js').WebhookReply} */
  let nextReply;
  /** @type {Awaited<ReturnType<typeof startWebhook>>} */
  let hook;
  before(async () => {
    hook = await startWebhook(() => nextReply);
  });
  after(() => hook.close());
  beforeEach(() => {
    hook.requests.length = 0;
    nextReply = { json: allowDecision(['generate.report']) };
  });

  /** @param {object} [overrides] */
  const eventWith = (overrides = {}) => credentialsExchangeEvent({ secrets: secrets(hook.url), ...overrides });

  it('OnExecuteCredentialsExchange_ClientWithoutAgentId_DoesNothing', async () => {
    const recording = await run(eventWith({
      client: { metadata: { agent_id: undefined, trust_score: '5', status: 'quarantined', revoked_scopes: 'generate.report' } },
    }));

    assert.deepEqual(recording.calls, []);
    assert.equal(hook.requests.length, 0);
  });

  it('OnExecuteCredentialsExchange_ClientWithoutMetadata_DoesNothing', async () => {
    const recording = await run(eventWith({ client: { metadata: undefined } }));

    assert.deepEqual(recording.calls, []);
    assert.equal(hook.requests.length, 0);
  });

  it('OnExecuteCredentialsExchange_Quarantined_DeniesAccess', async () => {
    const recording = await run(eventWith({ client: { metadata: { trust_score: '95', status: 'quarantined' } } }));

    assert.deepEqual(recording.calls, [{ method: 'access.deny', args: ['access_denied', INTEGRITY_FAILED] }]);
    assert.deepEqual(recording.result().denied, { code: 'access_denied', reason: INTEGRITY_FAILED });
    assert.equal(hook.requests.length, 0);
  });

  for (const trust of ['69', 'not-a-number', '']) {
    it(`OnExecuteCredentialsExchange_Trust_${JSON.stringify(trust)}_DeniesAccess`, async () => {
      const recording = await run(eventWith({ client: { metadata: { trust_score: trust } } }));

      assert.deepEqual(recording.calls, [{ method: 'access.deny', args: ['access_denied', INTEGRITY_FAILED] }]);
      assert.equal(hook.requests.length, 0);
    });
  }

  it('OnExecuteCredentialsExchange_RevokedScopeRequested_DeniesInvalidScopeNamingIt', async () => {
    const recording = await run(eventWith({
      transaction: { requested_scopes: ['read.dataset', 'generate.report', 'share.output'] },
      client: { metadata: { revoked_scopes: 'share.output, read.dataset' } },
    }));

    assert.deepEqual(recording.calls, [{
      method: 'access.deny',
      args: ['invalid_scope', 'Scope(s) revoked for this agent: read.dataset, share.output. Request the token without them.'],
    }]);
    assert.equal(hook.requests.length, 0);
  });

  it('OnExecuteCredentialsExchange_RevokedScopeNotRequested_IsIgnored', async () => {
    const recording = await run(eventWith({
      transaction: { requested_scopes: ['read.dataset'] },
      client: { metadata: { revoked_scopes: 'share.output' } },
    }));

    assert.deepEqual(recording.calls, []);
  });

  it('OnExecuteCredentialsExchange_Allow_SetsClaimAndSendsClientPrincipal', async () => {
    nextReply = { json: allowDecision(['generate.report'], { grant_id: 'grt_m2m', expires_at: '2099-01-01T00:00:00.000Z' }) };

    const recording = await run(eventWith());

    assert.deepEqual(recording.calls, [{
      method: 'accessToken.setCustomClaim',
      args: [CLAIM, { grant_id: 'grt_m2m', scopes: ['generate.report'], exp: 4070908800 }],
    }]);
    assert.equal(recording.result().denied, null);
    assert.equal(hook.requests[0].signatureValid, true);
    assert.deepEqual(hook.requests[0].body, {
      agent_id: 'agent_sigma',
      principal: { type: 'client', id: 'agent-sigma-client' },
      trust_score: 88,
      requested_scopes: ['generate.report'],
      audience: 'https://reflexive-identity/agents',
      rationale: {
        intent: 'Generate operational report',
        reason: 'Nightly batch needs error rates per service',
        confidence: 0.9,
      },
      context: { trigger: 'credentials-exchange', client_id: 'agent-sigma-client', ip: '198.51.100.4', transaction_id: null },
    });
  });

  it('OnExecuteCredentialsExchange_RationaleAsJsonString_IsSentAsObject', async () => {
    await run(eventWith({
      request: { body: { rationale: '{"intent":"Share report","reason":"Partner needs the weekly numbers","confidence":0.7}' } },
    }));

    assert.deepEqual(hook.requests[0].body.rationale, { intent: 'Share report', reason: 'Partner needs the weekly numbers', confidence: 0.7 });
  });

  it('OnExecuteCredentialsExchange_NoScopeParameter_FallsBackToTokenScopes', async () => {
    nextReply = { json: allowDecision(['generate.report', 'share.output']) };

    const recording = await run(eventWith({ transaction: { requested_scopes: [] } }));

    assert.deepEqual(hook.requests[0].body.requested_scopes, ['generate.report', 'share.output']);
    assert.deepEqual(recording.result().access_token.custom_claims[CLAIM].scopes, ['generate.report', 'share.output']);
  });

  it('OnExecuteCredentialsExchange_NoElevatedScope_LeavesTokenAlone', async () => {
    const recording = await run(eventWith({ transaction: { requested_scopes: ['read.dataset'] } }));

    assert.deepEqual(recording.calls, []);
    assert.equal(hook.requests.length, 0);
  });

  it('OnExecuteCredentialsExchange_ElevatedScopeNotGranted_DeniesInvalidScopeNamingIt', async () => {
    nextReply = { json: allowDecision(['generate.report'], { denied_scopes: [{ scope: 'share.output', code: 'confidence_below_threshold', detail: '' }] }) };

    const recording = await run(eventWith({ transaction: { requested_scopes: ['read.dataset', 'generate.report', 'share.output'] } }));

    assert.deepEqual(recording.calls, [{
      method: 'access.deny',
      args: ['invalid_scope', 'Elevation not granted for scope(s): share.output. Request the token without them.'],
    }]);
    assert.deepEqual(recording.result().access_token.custom_claims, {});
  });

  it('OnExecuteCredentialsExchange_Deny_DeniesInvalidScopeNamingAllElevated', async () => {
    nextReply = { json: refusal('deny', 'intent_scope_mismatch') };

    const recording = await run(eventWith({ transaction: { requested_scopes: ['generate.report', 'share.output'] } }));

    assert.deepEqual(recording.calls, [{
      method: 'access.deny',
      args: ['invalid_scope', 'Elevation not granted for scope(s): generate.report, share.output. Request the token without them.'],
    }]);
  });

  it('OnExecuteCredentialsExchange_Block_DeniesAccess', async () => {
    nextReply = { json: refusal('block', 'trust_below_threshold') };

    const recording = await run(eventWith());

    assert.deepEqual(recording.calls, [{ method: 'access.deny', args: ['access_denied', INTEGRITY_FAILED] }]);
  });

  const couldNotVerify = [{
    method: 'access.deny',
    args: ['invalid_scope', 'Elevation could not be verified for scope(s): generate.report. Request the token without them.'],
  }];

  it('OnExecuteCredentialsExchange_WebhookError_DeniesInvalidScope', async () => {
    nextReply = { status: 500, text: 'oops' };

    const recording = await run(eventWith());

    assert.deepEqual(recording.calls, couldNotVerify);
    assert.deepEqual(recording.logs, ['reflexive: webhook_status_500']);
  });

  it('OnExecuteCredentialsExchange_WebhookDown_DeniesInvalidScope', async () => {
    const recording = await run(eventWith({ secrets: secrets(await closedPortUrl()) }));

    assert.deepEqual(recording.calls, couldNotVerify);
    assert.deepEqual(recording.logs, ['reflexive: webhook_unreachable']);
  });

  it('OnExecuteCredentialsExchange_WebhookSlow_DeniesInvalidScope', async () => {
    nextReply = { delayMs: 1000, json: allowDecision(['generate.report']) };

    const recording = await run(eventWith({ secrets: { ...secrets(hook.url), WEBHOOK_TIMEOUT_MS: '100' } }));

    assert.deepEqual(recording.calls, couldNotVerify);
    assert.deepEqual(recording.logs, ['reflexive: webhook_timeout']);
  });

  it('OnExecuteCredentialsExchange_MissingWebhookSecret_DeniesInvalidScopeWithoutCalling', async () => {
    const recording = await run(eventWith({ secrets: { ...secrets(hook.url), WEBHOOK_SECRET: undefined } }));

    assert.deepEqual(recording.calls, couldNotVerify);
    assert.deepEqual(recording.logs, ['reflexive: webhook_not_configured']);
    assert.equal(hook.requests.length, 0);
  });
});
