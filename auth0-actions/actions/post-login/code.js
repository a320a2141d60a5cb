'use strict';

/**
 * Reflexive Identity post-login Action (also runs on refresh-token exchange).
 *
 * Agents are users with app_metadata.agent_id. Before their access token is issued this Action
 * blocks agents whose integrity is in doubt, strips revoked scopes, and asks the Reflexive
 * Identity webhook (POST /api/v1/elevations) whether the elevated scopes they asked for may be
 * granted. Any failure to get a clear answer strips the elevated scopes: fail closed.
 */

// ---- reflexive elevation client: BEGIN ----
// Auth0 deploys each Action as one file, so this block is copied byte for byte into every
// Action that calls the elevation webhook; test/elevation-client-copies.test.js keeps the copies equal.

const crypto = require('crypto');

const DEFAULT_TRUST_THRESHOLD = 70;
const DEFAULT_ELEVATED_SCOPES = 'generate.report,share.output';
const DEFAULT_CLAIM_NAMESPACE = 'https://reflexive-identity/';
const MAX_WEBHOOK_TIMEOUT_MS = 4000;
const NEW_AGENT_TRUST_SCORE = 100;
const INTEGRITY_FAILED = 'Integrity check failed.';
// Plain decimals only: Number() would also read '0x50' or '1e2' as scores.
const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * @typedef {object} ElevationSettings
 * @property {string} webhookUrl empty when the WEBHOOK_URL secret is missing
 * @property {string} webhookSecret empty when the WEBHOOK_SECRET secret is missing
 * @property {number} trustThreshold
 * @property {string[]} elevatedScopes
 * @property {string} claimName the full name of the elevation claim
 * @property {number} timeoutMs
 */

/**
 * @typedef {object} Integrity
 * @property {boolean} blocked
 * @property {number} trustScore meaningful only when not blocked
 * @property {string} code the reason code logged when blocked
 */

/**
 * @typedef {{decision: 'allow', grantId: string, grantedScopes: string[], exp: number}
 *   | {decision: 'deny'} | {decision: 'block'}} ElevationDecision
 */

/** @typedef {{ok: true, decision: ElevationDecision} | {ok: false, code: string}} ElevationOutcome */

/**
 * @param {Record<string, string | undefined> | undefined} secrets
 * @returns {ElevationSettings}
 */
function readSettings(secrets) {
  const s = secrets ?? {};
  const timeout = Number(s.WEBHOOK_TIMEOUT_MS);
  // An empty list would let every scope through unchecked, so it falls back to the default.
  const elevatedScopes = toScopeList(s.ELEVATED_SCOPES);
  const namespace = typeof s.CLAIM_NAMESPACE === 'string' && s.CLAIM_NAMESPACE.trim() !== ''
    ? s.CLAIM_NAMESPACE.trim()
    : DEFAULT_CLAIM_NAMESPACE;
  return {
    webhookUrl: typeof s.WEBHOOK_URL === 'string' ? s.WEBHOOK_URL.trim() : '',
    webhookSecret: typeof s.WEBHOOK_SECRET === 'string' ? s.WEBHOOK_SECRET : '',
    trustThreshold: typeof s.TRUST_THRESHOLD === 'string' && NUMERIC.test(s.TRUST_THRESHOLD)
      ? Number(s.TRUST_THRESHOLD)
      : DEFAULT_TRUST_THRESHOLD,
    elevatedScopes: elevatedScopes.length > 0 ? elevatedScopes : toScopeList(DEFAULT_ELEVATED_SCOPES),
    claimName: `${namespace}elevation`,
    // The secret may only shorten the 4 s budget (tests use it); it can never lengthen it.
    timeoutMs: Number.isInteger(timeout) && timeout > 0 && timeout <= MAX_WEBHOOK_TIMEOUT_MS
      ? timeout
      : MAX_WEBHOOK_TIMEOUT_MS,
  };
}

/**
 * @param {unknown} value
 * @returns {boolean}
 */
function isBlank(value) {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Scopes arrive as arrays (Auth0 events, user app_metadata) or as comma- or space-separated
 * strings (secrets, client metadata). Returns them trimmed, without blanks or repeats.
 * @param {unknown} value
 * @returns {string[]}
 */
function toScopeList(value) {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  const scopes = items.filter((s) => typeof s === 'string').map((s) => s.trim()).filter((s) => s !== '');
  return [...new Set(scopes)];
}

/**
 * Any present agent_id marks an agent: treating an odd value as "not an agent" would let it skip
 * every check below.
 * @param {unknown} value
 * @returns {string | null}
 */
function readAgentId(value) {
  return isBlank(value) ? null : String(value);
}

/**
 * A missing trust score is a new agent (100). Anything present that is not a number or a numeric
 * string blocks: fail closed.
 * @param {{trust_score?: unknown, status?: unknown}} metadata
 * @param {number} threshold
 * @returns {Integrity}
 */
function checkIntegrity(metadata, threshold) {
  if (metadata.status === 'quarantined') {
    return { blocked: true, trustScore: NaN, code: 'agent_quarantined' };
  }
  const raw = metadata.trust_score;
  let trustScore = NaN;
  if (raw === undefined || raw === null) {
    trustScore = NEW_AGENT_TRUST_SCORE;
  } else if (typeof raw === 'number') {
    trustScore = raw;
  } else if (typeof raw === 'string' && NUMERIC.test(raw)) {
    trustScore = Number(raw);
  }
  if (!Number.isFinite(trustScore)) {
    return { blocked: true, trustScore, code: 'trust_score_unreadable' };
  }
  if (trustScore < threshold) {
    return { blocked: true, trustScore, code: 'trust_below_threshold' };
  }
  return { blocked: false, trustScore, code: '' };
}

/**
 * The rationale comes from the token request body, as a JSON string (form posts) or an object.
 * Only the three rationale fields are forwarded; anything unreadable becomes null, which the
 * webhook answers with deny / missing_rationale.
 * @param {unknown} value
 * @returns {{intent?: unknown, reason?: unknown, confidence?: unknown} | null}
 */
function readRationale(value) {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return null;
  }
  /** @type {Record<string, unknown>} */
  const source = /** @type {Record<string, unknown>} */ (parsed);
  /** @type {Record<string, unknown>} */
  const rationale = {};
  for (const field of ['intent', 'reason', 'confidence']) {
    if (source[field] !== undefined) {
      rationale[field] = source[field];
    }
  }
  return Object.keys(rationale).length === 0 ? null : rationale;
}

/**
 * The body of POST /api/v1/elevations. Absent event fields are sent as null so the shape is fixed.
 * @param {object} input
 * @param {any} input.event the Auth0 event
 * @param {string} input.agentId
 * @param {{type: 'user' | 'client', id: string | null}} input.principal
 * @param {number} input.trustScore
 * @param {string[]} input.scopes the elevated scopes asked for
 * @param {'post-login' | 'credentials-exchange'} input.trigger
 */
function buildElevationRequest({ event, agentId, principal, trustScore, scopes, trigger }) {
  return {
    agent_id: agentId,
    principal,
    trust_score: trustScore,
    requested_scopes: scopes,
    audience: event.resource_server?.identifier ?? null,
    rationale: readRationale(event.request?.body?.rationale),
    context: {
      trigger,
      client_id: event.client?.client_id ?? null,
      ip: event.request?.ip ?? null,
      transaction_id: event.transaction?.id ?? null,
    },
  };
}

/**
 * Posts the signed request and reads the decision. Never throws: every failure is an outcome with
 * a reason code, and the caller fails closed on it.
 * @param {ElevationSettings} settings
 * @param {object} request
 * @returns {Promise<ElevationOutcome>}
 */
async function requestElevation(settings, request) {
  if (settings.webhookUrl === '' || settings.webhookSecret === '') {
    return { ok: false, code: 'webhook_not_configured' };
  }
  const body = JSON.stringify(request);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = crypto.createHmac('sha256', settings.webhookSecret)
    .update(`${timestamp}.${body}`, 'utf8')
    .digest('hex');
  let text;
  try {
    const response = await fetch(settings.webhookUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Reflexive-Timestamp': timestamp,
        'X-Reflexive-Signature': `v1=${signature}`,
        'X-Reflexive-Request-Id': crypto.randomUUID(),
      },
      body,
      redirect: 'manual', // a redirect counts as a non-2xx answer; the signed body goes nowhere else
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    text = await response.text();
    if (!response.ok) {
      return { ok: false, code: `webhook_status_${response.status}` };
    }
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    return { ok: false, code: name === 'TimeoutError' || name === 'AbortError' ? 'webhook_timeout' : 'webhook_unreachable' };
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, code: 'webhook_invalid_json' };
  }
  return readDecision(parsed);
}

/**
 * @param {unknown} body
 * @returns {ElevationOutcome}
 */
function readDecision(body) {
  /** @type {any} */
  const b = body;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) {
    return { ok: false, code: 'webhook_unexpected_response' };
  }
  if (b.decision === 'deny' || b.decision === 'block') {
    return { ok: true, decision: { decision: b.decision } };
  }
  const expiresMs = typeof b.expires_at === 'string' ? Date.parse(b.expires_at) : NaN;
  if (b.decision !== 'allow'
    || typeof b.grant_id !== 'string' || b.grant_id === ''
    || !Array.isArray(b.granted_scopes) || !b.granted_scopes.every((/** @type {unknown} */ s) => typeof s === 'string')
    || !Number.isFinite(expiresMs)) {
    return { ok: false, code: 'webhook_unexpected_response' };
  }
  if (expiresMs <= Date.now()) {
    return { ok: false, code: 'webhook_grant_expired' };
  }
  return {
    ok: true,
    decision: { decision: 'allow', grantId: b.grant_id, grantedScopes: b.granted_scopes, exp: Math.floor(expiresMs / 1000) },
  };
}

/**
 * Logs a short reason code only: never secrets, signatures, tokens or rationale text.
 * @param {string} code
 */
function logReason(code) {
  console.log(`reflexive: ${code}`);
}
// ---- reflexive elevation client: END ----

/**
 * @typedef {object} PostLoginEvent
 * @property {{user_id: string, app_metadata?: {agent_id?: unknown, trust_score?: unknown,
 *   status?: unknown, revoked_scopes?: unknown}}} user
 * @property {{id?: string, requested_scopes?: string[]}} [transaction]
 * @property {{ip?: string, body?: {rationale?: unknown}}} [request]
 * @property {{client_id?: string}} [client]
 * @property {{identifier?: string}} [resource_server]
 * @property {Record<string, string | undefined>} [secrets]
 */

/**
 * @typedef {object} PostLoginApi
 * @property {{deny: (reason: string) => void}} access
 * @property {{addScope: (scope: string) => void, removeScope: (scope: string) => void,
 *   setCustomClaim: (name: string, value: unknown) => void}} accessToken
 */

/**
 * @param {PostLoginEvent} event
 * @param {PostLoginApi} api
 */
exports.onExecutePostLogin = async (event, api) => {
  const metadata = event.user?.app_metadata ?? {};
  const agentId = readAgentId(metadata.agent_id);
  if (agentId === null) {
    return;
  }

  const settings = readSettings(event.secrets);
  const integrity = checkIntegrity(metadata, settings.trustThreshold);
  if (integrity.blocked) {
    logReason(integrity.code);
    api.access.deny(INTEGRITY_FAILED);
    return;
  }

  const requested = toScopeList(event.transaction?.requested_scopes);
  const revoked = toScopeList(metadata.revoked_scopes);
  for (const scope of requested.filter((s) => revoked.includes(s))) {
    api.accessToken.removeScope(scope);
  }

  const elevated = requested.filter((s) => settings.elevatedScopes.includes(s) && !revoked.includes(s));
  if (elevated.length === 0) {
    return;
  }

  const outcome = await requestElevation(settings, buildElevationRequest({
    event,
    agentId,
    principal: { type: 'user', id: event.user.user_id ?? null },
    trustScore: integrity.trustScore,
    scopes: elevated,
    trigger: 'post-login',
  }));
  if (!outcome.ok) {
    logReason(outcome.code);
    elevated.forEach((s) => api.accessToken.removeScope(s));
    return;
  }

  const { decision } = outcome;
  if (decision.decision === 'block') {
    logReason('elevation_blocked');
    api.access.deny(INTEGRITY_FAILED);
    return;
  }
  const granted = decision.decision === 'allow' ? elevated.filter((s) => decision.grantedScopes.includes(s)) : [];
  if (decision.decision === 'deny' || granted.length === 0) {
    logReason(decision.decision === 'deny' ? 'elevation_denied' : 'elevation_allow_without_requested_scope');
    elevated.forEach((s) => api.accessToken.removeScope(s));
    return;
  }

  for (const scope of elevated) {
    if (granted.includes(scope)) {
      api.accessToken.addScope(scope);
    } else {
      api.accessToken.removeScope(scope);
    }
  }
  api.accessToken.setCustomClaim(settings.claimName, { grant_id: decision.grantId, scopes: granted, exp: decision.exp });
  logReason('elevation_allowed');
};
