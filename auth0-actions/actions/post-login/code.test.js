'use strict';

const assert = require('node:assert/strict');
const { describe, it, before, after, beforeEach, mock } = require('node:test');
const { onExecutePostLogin } = require('./code.js');
const {
  allowDecision, closedPortUrl, createRecordingApi, postLoginEvent, refusal, secrets, startWebhook, WEBHOOK_SECRET,
} = require('../../test/harness.js');

const CLAIM = 'https://reflexive-identity/elevation';
const INTEGRITY_FAILED = 'Integrity check failed.';

/**
 * Runs the Action with a recording api; `logs` holds what it printed.
 * @param {any} event
 */
async function run(event) {
  const recording = createRecordingApi('post-login');
  const log = mock.method(console, 'log', () => {});
  try {
    await onExecutePostLogin(event, recording.api);
  } finally {
    log.mock.restore();
  }
  return { ...recording, logs: log.mock.calls.map((c) => c.arguments.join(' ')) };
}

/** @param {string[]} scopes */
const removals = (scopes) => scopes.map((s) => ({ method: 'accessToken.removeScope', args: [s] }));

describe('post-login: agents and integrity', () => {
  /** @type {Awaited<ReturnType<typeof startWebhook>>} */
  let hook;
  before(async () => {
    hook = await startWebhook(() => ({ json: allowDecision(['generate.report']) }));
  });
  after(() => hook.close());
  beforeEach(() => {
    hook.requests.length = 0;
  });

  it('OnExecutePostLogin_UserWithoutAgentId_DoesNothing', async () => {
    const event = postLoginEvent({
      user: { app_metadata: { agent_id: undefined, trust_score: 10, status: 'quarantined' } },
      transaction: { requested_scopes: ['generate.report', 'share.output'] },
      secrets: secrets(hook.url),
    });

    const recording = await run(event);

    assert.deepEqual(recording.calls, []);
    assert.equal(hook.requests.length, 0);
  });

  it('OnExecutePostLogin_UserWithoutAppMetadata_DoesNothing', async () => {
    const recording = await run(postLoginEvent({ user: { app_metadata: undefined }, secrets: secrets(hook.url) }));

    assert.deepEqual(recording.calls, []);
    assert.equal(hook.requests.length, 0);
  });

  for (const [label, trust] of [['number', 69], ['numeric string', '65'], ['decimal string', '69.9']]) {
    it(`OnExecutePostLogin_TrustBelowThresholdAs${label}_Denies`, async () => {
      const recording = await run(postLoginEvent({ user: { app_metadata: { trust_score: trust } }, secrets: secrets(hook.url) }));

      assert.deepEqual(recording.calls, [{ method: 'access.deny', args: [INTEGRITY_FAILED] }]);
      assert.equal(hook.requests.length, 0);
    });
  }

  for (const trust of ['abc', '', '0x50', '1e2', true, { score: 90 }]) {
    it(`OnExecutePostLogin_NonNumericTrust_${JSON.stringify(trust)}_DeniesFailClosed`, async () => {
      const recording = await run(postLoginEvent({ user: { app_metadata: { trust_score: trust } }, secrets: secrets(hook.url) }));

      assert.deepEqual(recording.calls, [{ method: 'access.deny', args: [INTEGRITY_FAILED] }]);
      assert.equal(hook.requests.length, 0);
    });
  }

  it('OnExecutePostLogin_Quarantined_DeniesEvenWithHighTrust', async () => {
    const recording = await run(postLoginEvent({
      user: { app_metadata: { trust_score: 99, status: 'quarantined' } },
      secrets: secrets(hook.url),
    }));

    assert.deepEqual(recording.calls, [{ method: 'access.deny', args: [INTEGRITY_FAILED] }]);
    assert.deepEqual(recording.result().denied, { code: 'access_denied', reason: INTEGRITY_FAILED });
  });

  it('OnExecutePostLogin_TrustExactlyAtThresholdAsString_IsNotBlocked', async () => {
    const recording = await run(postLoginEvent({ user: { app_metadata: { trust_score: '70' } }, secrets: secrets(hook.url) }));

    assert.equal(recording.result().denied, null);
    assert.equal(hook.requests.length, 1);
    assert.equal(hook.requests[0].body.trust_score, 70);
  });

  it('OnExecutePostLogin_TrustThresholdSecret_IsHonoured', async () => {
    const event = postLoginEvent({
      user: { app_metadata: { trust_score: 85 } },
      secrets: { ...secrets(hook.url), TRUST_THRESHOLD: '90' },
    });

    const recording = await run(event);

    assert.deepEqual(recording.calls, [{ method: 'access.deny', args: [INTEGRITY_FAILED] }]);
  });

  it('OnExecutePostLogin_MissingTrustScore_CountsAsNewAgentAt100', async () => {
    const recording = await run(postLoginEvent({
      user: { app_metadata: { trust_score: undefined } },
      secrets: secrets(hook.url),
    }));

    assert.equal(recording.result().denied, null);
    assert.equal(hook.requests[0].body.trust_score, 100);
  });

  it('OnExecutePostLogin_RevokedScopes_AreStrippedAndNotSentToWebhook', async () => {
    const event = postLoginEvent({
      transaction: { requested_scopes: ['openid', 'read.dataset', 'generate.report', 'share.output'] },
      user: { app_metadata: { revoked_scopes: ['read.dataset', 'share.output', 'reflexive:admin'] } },
      secrets: secrets(hook.url),
    });

    const recording = await run(event);

    assert.deepEqual(recording.calls.slice(0, 2), removals(['read.dataset', 'share.output']));
    assert.deepEqual(hook.requests[0].body.requested_scopes, ['generate.report']);
    assert.deepEqual(recording.result().access_token.removed_scopes, ['read.dataset', 'share.output']);
    assert.deepEqual(recording.result().access_token.added_scopes, ['generate.report']);
  });

  it('OnExecutePostLogin_OnlyRevokedElevatedScopeRequested_StripsItWithoutCallingWebhook', async () => {
    const event = postLoginEvent({
      transaction: { requested_scopes: ['read.dataset', 'generate.report'] },
      user: { app_metadata: { revoked_scopes: ['generate.report'] } },
      secrets: secrets(hook.url),
    });

    const recording = await run(event);

    assert.deepEqual(recording.calls, removals(['generate.report']));
    assert.equal(hook.requests.length, 0);
  });

  it('OnExecutePostLogin_NoElevatedScopeRequested_LeavesTokenAlone', async () => {
    const recording = await run(postLoginEvent({
      transaction: { requested_scopes: ['openid', 'read.dataset'] },
      secrets: secrets(hook.url),
    }));

    assert.deepEqual(recording.calls, []);
    assert.equal(hook.requests.length, 0);
  });
});

describe('post-login: webhook decisions', () => {
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
  });

  /** @param {object} [overrides] */
  const elevationEvent = (overrides = {}) => postLoginEvent({
    transaction: { requested_scopes: ['openid', 'read.dataset', 'generate.report', 'share.output'] },
    secrets: secrets(hook.url),
    ...overrides,
  });

  it('OnExecutePostLogin_Allow_AddsGrantedRemovesOthersAndSetsClaim', async () => {
    nextReply = { json: allowDecision(['generate.report'], { grant_id: 'grt_42', expires_at: '2099-06-01T12:30:00Z' }) };

    const recording = await run(elevationEvent());

    const exp = Date.UTC(2099, 5, 1, 12, 30, 0) / 1000;
    assert.deepEqual(recording.calls, [
      { method: 'accessToken.addScope', args: ['generate.report'] },
      { method: 'accessToken.removeScope', args: ['share.output'] },
      { method: 'accessToken.setCustomClaim', args: [CLAIM, { grant_id: 'grt_42', scopes: ['generate.report'], exp }] },
    ]);
    assert.equal(exp, 4084000200);
  });

  it('OnExecutePostLogin_Allow_IgnoresGrantedScopesThatWereNotRequested', async () => {
    nextReply = { json: allowDecision(['generate.report', 'reflexive:admin']) };

    const recording = await run(elevationEvent({ transaction: { requested_scopes: ['generate.report'] } }));

    assert.deepEqual(recording.result().access_token.added_scopes, ['generate.report']);
    assert.deepEqual(recording.result().access_token.custom_claims[CLAIM].scopes, ['generate.report']);
  });

  it('OnExecutePostLogin_Allow_UsesClaimNamespaceSecret', async () => {
    nextReply = { json: allowDecision(['generate.report', 'share.output']) };

    const recording = await run(elevationEvent({
      secrets: { ...secrets(hook.url), CLAIM_NAMESPACE: 'https://example.test/claims/' },
    }));

    assert.deepEqual(Object.keys(recording.result().access_token.custom_claims), ['https://example.test/claims/elevation']);
  });

  it('OnExecutePostLogin_Request_SendsTheContractBody', async () => {
    nextReply = { json: refusal('deny', 'confidence_below_threshold') };

    await run(elevationEvent());

    assert.equal(hook.requests.length, 1);
    const [request] = hook.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/api/v1/elevations');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, {
      agent_id: 'agent_omega',
      principal: { type: 'user', id: 'auth0|agent_omega' },
      trust_score: 92,
      requested_scopes: ['generate.report', 'share.output'],
      audience: 'https://reflexive-identity/agents',
      rationale: {
        intent: 'Generate operational report',
        reason: 'Weekly ops review needs error rates per service',
        confidence: 0.91,
      },
      context: { trigger: 'post-login', client_id: 'agent-omega-client', ip: '203.0.113.7', transaction_id: 'txn_post_login_1' },
    });
    assert.deepEqual(Object.keys(request.body), [
      'agent_id', 'principal', 'trust_score', 'requested_scopes', 'audience', 'rationale', 'context',
    ]);
  });

  it('OnExecutePostLogin_Request_IsSignedWithTheWebhookSecret', async () => {
    nextReply = { json: refusal('deny', 'confidence_below_threshold') };
    const before = Math.floor(Date.now() / 1000);

    await run(elevationEvent());

    const [request] = hook.requests;
    assert.equal(request.signatureValid, true);
    assert.match(/** @type {string} */ (request.headers['x-reflexive-signature']), /^v1=[0-9a-f]{64}$/);
    const timestamp = Number(request.headers['x-reflexive-timestamp']);
    assert.ok(timestamp >= before && timestamp <= Math.ceil(Date.now() / 1000), 'timestamp is now, in unix seconds');
    assert.match(/** @type {string} */ (request.headers['x-reflexive-request-id']),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('OnExecutePostLogin_Request_EachCallHasANewRequestId', async () => {
    nextReply = { json: refusal('deny', 'confidence_below_threshold') };

    await run(elevationEvent());
    await run(elevationEvent());

    assert.notEqual(hook.requests[0].headers['x-reflexive-request-id'], hook.requests[1].headers['x-reflexive-request-id']);
  });

  it('OnExecutePostLogin_RationaleAsObject_IsSentAsObjectWithOnlyRationaleFields', async () => {
    nextReply = { json: refusal('deny', 'confidence_below_threshold') };
    const rationale = { intent: 'Share report', reason: 'Ops lead asked for the weekly report by mail', confidence: 0.8, extra: 'x' };

    await run(elevationEvent({ request: { ip: '203.0.113.7', body: { rationale } } }));

    assert.deepEqual(hook.requests[0].body.rationale,
      { intent: 'Share report', reason: 'Ops lead asked for the weekly report by mail', confidence: 0.8 });
  });

  for (const [label, body] of [
    ['Absent', { rationale: undefined }],
    ['Unparsable', { rationale: '{intent: not json' }],
    ['JsonArray', { rationale: '[1,2]' }],
    ['JsonNull', { rationale: 'null' }],
    ['Number', { rationale: 42 }],
  ]) {
    it(`OnExecutePostLogin_Rationale${label}_SendsNullAndDoesNotThrow`, async () => {
      nextReply = { json: refusal('deny', 'missing_rationale') };

      const recording = await run(elevationEvent({ request: { body } }));

      assert.equal(hook.requests[0].body.rationale, null);
      assert.ok(Object.hasOwn(hook.requests[0].body, 'rationale'));
      assert.deepEqual(recording.calls, removals(['generate.report', 'share.output']));
    });
  }

  it('OnExecutePostLogin_EventWithoutOptionalFields_SendsNulls', async () => {
    nextReply = { json: refusal('deny', 'missing_rationale') };
    const event = elevationEvent({ request: undefined, client: undefined, resource_server: undefined });
    delete event.transaction.id;

    await run(event);

    const { body } = hook.requests[0];
    assert.equal(body.audience, null);
    assert.equal(body.rationale, null);
    assert.deepEqual(body.context, { trigger: 'post-login', client_id: null, ip: null, transaction_id: null });
  });

  it('OnExecutePostLogin_Deny_RemovesAllElevatedScopes', async () => {
    nextReply = { json: refusal('deny', 'intent_scope_mismatch') };

    const recording = await run(elevationEvent());

    assert.deepEqual(recording.calls, removals(['generate.report', 'share.output']));
    assert.equal(recording.result().denied, null);
  });

  it('OnExecutePostLogin_Block_DeniesTheToken', async () => {
    nextReply = { json: refusal('block', 'agent_quarantined') };

    const recording = await run(elevationEvent());

    assert.deepEqual(recording.calls, [{ method: 'access.deny', args: [INTEGRITY_FAILED] }]);
  });

  it('OnExecutePostLogin_AllowWithoutAnyRequestedScope_FailsClosed', async () => {
    nextReply = { json: allowDecision(['read.dataset']) };

    const recording = await run(elevationEvent());

    assert.deepEqual(recording.calls, removals(['generate.report', 'share.output']));
  });

  it('OnExecutePostLogin_ElevatedScopesSecret_DecidesWhatIsElevated', async () => {
    nextReply = { json: allowDecision(['read.dataset']) };

    const recording = await run(elevationEvent({
      secrets: { ...secrets(hook.url), ELEVATED_SCOPES: ' read.dataset , ' },
    }));

    assert.deepEqual(hook.requests[0].body.requested_scopes, ['read.dataset']);
    assert.deepEqual(recording.result().access_token.added_scopes, ['read.dataset']);
  });

  it('OnExecutePostLogin_ElevatedScopesSecretWithoutScopes_FallsBackToDefault', async () => {
    nextReply = { json: refusal('deny', 'intent_scope_mismatch') };

    const recording = await run(elevationEvent({ secrets: { ...secrets(hook.url), ELEVATED_SCOPES: ' , ' } }));

    assert.deepEqual(hook.requests[0].body.requested_scopes, ['generate.report', 'share.output']);
    assert.deepEqual(recording.calls, removals(['generate.report', 'share.output']));
  });

  it('OnExecutePostLogin_DefaultSecrets_ElevateGenerateReportAndShareOutput', async () => {
    nextReply = { json: allowDecision(['share.output']) };

    const recording = await run(elevationEvent({
      secrets: { WEBHOOK_URL: hook.url, WEBHOOK_SECRET },
      user: { app_metadata: { trust_score: 69 } },
    }));

    assert.deepEqual(recording.calls, [{ method: 'access.deny', args: [INTEGRITY_FAILED] }], 'default threshold is 70');
    const allowed = await run(elevationEvent({ secrets: { WEBHOOK_URL: hook.url, WEBHOOK_SECRET } }));
    assert.deepEqual(hook.requests[0].body.requested_scopes, ['generate.report', 'share.output']);
    assert.deepEqual(Object.keys(allowed.result().access_token.custom_claims), [CLAIM]);
  });
});

describe('post-login: fail closed', () => {
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
  });

  /** @param {Record<string, string>} [secretValues] */
  const eventWith = (secretValues = secrets(hook.url)) => postLoginEvent({
    transaction: { requested_scopes: ['read.dataset', 'generate.report', 'share.output'] },
    secrets: secretValues,
  });
  const STRIPPED = removals(['generate.report', 'share.output']);

  /**
   * @param {Awaited<ReturnType<typeof run>>} recording
   * @param {string} reason the reason code the Action must log
   */
  const assertFailedClosed = (recording, reason) => {
    assert.deepEqual(recording.calls, STRIPPED);
    assert.equal(recording.result().denied, null, 'the baseline token still goes on');
    assert.deepEqual(recording.result().access_token.custom_claims, {});
    assert.deepEqual(recording.logs, [`reflexive: ${reason}`]);
  };

  it('OnExecutePostLogin_WebhookDown_StripsElevatedScopes', async () => {
    assertFailedClosed(await run(eventWith(secrets(await closedPortUrl()))), 'webhook_unreachable');
  });

  for (const status of [500, 401, 404, 302]) {
    it(`OnExecutePostLogin_WebhookStatus${status}_StripsElevatedScopes`, async () => {
      // A redirect is not followed: the signed body must reach only the configured URL.
      nextReply = { status, headers: { Location: hook.url }, json: allowDecision(['generate.report']) };

      assertFailedClosed(await run(eventWith()), `webhook_status_${status}`);
      assert.equal(hook.requests.length, 1);
    });
  }

  it('OnExecutePostLogin_WebhookInvalidJson_StripsElevatedScopes', async () => {
    nextReply = { text: '{"decision": "allow", ' };

    assertFailedClosed(await run(eventWith()), 'webhook_invalid_json');
  });

  for (const [label, json, reason] of [
    ['UnknownDecision', { decision: 'maybe' }, 'webhook_unexpected_response'],
    ['AllowWithoutGrantId', allowDecision(['generate.report'], { grant_id: undefined }), 'webhook_unexpected_response'],
    ['AllowWithScopesNotArray', allowDecision(['generate.report'], { granted_scopes: 'generate.report' }), 'webhook_unexpected_response'],
    ['AllowWithBadExpiry', allowDecision(['generate.report'], { expires_at: 'soon' }), 'webhook_unexpected_response'],
    ['AllowAlreadyExpired', allowDecision(['generate.report'], { expires_at: '2001-01-01T00:00:00Z' }), 'webhook_grant_expired'],
    ['JsonArray', [allowDecision(['generate.report'])], 'webhook_unexpected_response'],
    ['JsonNull', null, 'webhook_unexpected_response'],
  ]) {
    it(`OnExecutePostLogin_WebhookAnswer${label}_StripsElevatedScopes`, async () => {
      nextReply = json === null ? { text: 'null' } : { json };

      assertFailedClosed(await run(eventWith()), reason);
      assert.equal(hook.requests.length, 1);
    });
  }

  it('OnExecutePostLogin_WebhookSlowerThanTimeout_StripsElevatedScopes', async () => {
    nextReply = { delayMs: 1000, json: allowDecision(['generate.report']) };
    const started = Date.now();

    const recording = await run(eventWith({ ...secrets(hook.url), WEBHOOK_TIMEOUT_MS: '150' }));

    assertFailedClosed(recording, 'webhook_timeout');
    assert.ok(Date.now() - started < 900, 'gave up at the timeout, not when the answer came');
  });

  for (const missing of ['WEBHOOK_URL', 'WEBHOOK_SECRET']) {
    it(`OnExecutePostLogin_Missing${missing}_StripsElevatedScopesWithoutCalling`, async () => {
      const recording = await run(eventWith({ ...secrets(hook.url), [missing]: undefined }));

      assertFailedClosed(recording, 'webhook_not_configured');
      assert.equal(hook.requests.length, 0);
    });
  }

  it('OnExecutePostLogin_WrongSecret_SignatureDoesNotVerify', async () => {
    nextReply = { status: 401, json: { code: 'invalid_signature' } };

    assertFailedClosed(await run(eventWith({ ...secrets(hook.url), WEBHOOK_SECRET: 'a-rotated-out-secret' })), 'webhook_status_401');
    assert.equal(hook.requests[0].signatureValid, false);
  });

  it('OnExecutePostLogin_Logs_ShortReasonCodesOnlyNeverSecretOrSignature', async () => {
    nextReply = { json: allowDecision(['generate.report']) };

    const recording = await run(eventWith());

    assert.deepEqual(recording.logs, ['reflexive: elevation_allowed']);
    const signature = /** @type {string} */ (hook.requests[0].headers['x-reflexive-signature']).slice(3);
    assert.ok(recording.logs.every((line) => !line.includes(WEBHOOK_SECRET) && !line.includes(signature)));
  });
});
