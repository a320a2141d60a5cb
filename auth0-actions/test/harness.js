'use strict';

/**
 * Test harness for the Actions: Auth0-shaped events, the recording `api` (the same one
 * runtime/run-action.js uses), and a real loopback webhook server that checks the signature
 * of every request it receives the way the Reflexive Identity webhook does.
 */

const crypto = require('node:crypto');
const http = require('node:http');
const { createRecordingApi } = require('../runtime/recording-api.js');

const WEBHOOK_SECRET = 'test-signing-secret-not-real';

/**
 * Deep-merges plain objects; arrays and other values replace; `undefined` deletes the key, so a
 * test can take a default away (e.g. `{user: {app_metadata: {trust_score: undefined}}}`).
 * @param {any} base
 * @param {any} overrides
 * @returns {any}
 */
function merge(base, overrides) {
  if (!isPlainObject(base) || !isPlainObject(overrides)) {
    return overrides;
  }
  const merged = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete merged[key];
    } else {
      merged[key] = merge(base[key], value);
    }
  }
  return merged;
}

/** @param {unknown} value */
function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Secrets as the tenant would hold them, pointing at `webhookUrl`.
 * @param {string} webhookUrl
 * @returns {Record<string, string>}
 */
function secrets(webhookUrl) {
  return {
    WEBHOOK_URL: webhookUrl,
    WEBHOOK_SECRET,
    TRUST_THRESHOLD: '70',
    ELEVATED_SCOPES: 'generate.report,share.output',
    CLAIM_NAMESPACE: 'https://reflexive-identity/',
  };
}

/**
 * A post-login event of agent_omega refreshing its token (refresh-token grant).
 * @param {object} [overrides]
 */
function postLoginEvent(overrides = {}) {
  return merge({
    transaction: {
      id: 'txn_post_login_1',
      protocol: 'oauth2-refresh-token',
      requested_scopes: ['openid', 'offline_access', 'read.dataset', 'generate.report'],
    },
    user: {
      user_id: 'auth0|agent_omega',
      email: 'agent_omega@agents.reflexive-identity.invalid',
      app_metadata: { agent_id: 'agent_omega', trust_score: 92, status: 'active', revoked_scopes: [] },
      user_metadata: {},
    },
    client: { client_id: 'agent-omega-client', name: 'agent_omega', metadata: {} },
    resource_server: { identifier: 'https://reflexive-identity/agents' },
    request: {
      ip: '203.0.113.7',
      method: 'POST',
      hostname: 'tenant.example.auth0.com',
      body: {
        grant_type: 'refresh_token',
        rationale: JSON.stringify({
          intent: 'Generate operational report',
          reason: 'Weekly ops review needs error rates per service',
          confidence: 0.91,
        }),
      },
      geoip: {},
    },
    tenant: { id: 'reflexive-dev' },
    secrets: secrets('http://127.0.0.1:9/api/v1/elevations'),
  }, overrides);
}

/**
 * A credentials-exchange event of an M2M agent (client metadata values are strings on Auth0).
 * @param {object} [overrides]
 */
function credentialsExchangeEvent(overrides = {}) {
  return merge({
    transaction: { requested_scopes: ['read.dataset', 'generate.report'] },
    accessToken: { customClaims: {}, scope: ['read.dataset', 'generate.report', 'share.output'] },
    client: {
      client_id: 'agent-sigma-client',
      name: 'agent_sigma',
      metadata: { agent_id: 'agent_sigma', trust_score: '88', status: 'active', revoked_scopes: '' },
    },
    resource_server: { identifier: 'https://reflexive-identity/agents' },
    request: {
      ip: '198.51.100.4',
      method: 'POST',
      hostname: 'tenant.example.auth0.com',
      body: {
        grant_type: 'client_credentials',
        rationale: {
          intent: 'Generate operational report',
          reason: 'Nightly batch needs error rates per service',
          confidence: 0.9,
        },
      },
      geoip: {},
    },
    tenant: { id: 'reflexive-dev' },
    secrets: secrets('http://127.0.0.1:9/api/v1/elevations'),
  }, overrides);
}

/**
 * @typedef {object} ReceivedRequest
 * @property {string} method
 * @property {string} url
 * @property {http.IncomingHttpHeaders} headers
 * @property {string} rawBody
 * @property {any} body the parsed JSON body, or undefined when it is not JSON
 * @property {boolean} signatureValid
 */

/**
 * @typedef {object} WebhookReply
 * @property {number} [status] default 200
 * @property {unknown} [json] sent as JSON
 * @property {string} [text] sent verbatim instead of `json`
 * @property {Record<string, string>} [headers] extra response headers
 * @property {number} [delayMs] wait before answering
 */

/**
 * Starts a real HTTP server on 127.0.0.1 (random port). `reply` decides each answer.
 * @param {(request: ReceivedRequest) => WebhookReply | Promise<WebhookReply>} reply
 * @param {{secret?: string}} [options] the secret the server verifies with
 */
async function startWebhook(reply, { secret = WEBHOOK_SECRET } = {}) {
  /** @type {ReceivedRequest[]} */
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) {
      chunks.push(chunk);
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body;
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    /** @type {ReceivedRequest} */
    const received = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawBody,
      body,
      signatureValid: verifySignature(req.headers, rawBody, secret),
    };
    requests.push(received);
    const answer = await reply(received);
    if (answer.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    }
    if (res.destroyed) {
      return;
    }
    const payload = answer.text ?? JSON.stringify(answer.json ?? {});
    res.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json', ...answer.headers });
    res.end(payload);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}/api/v1/elevations`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/**
 * The webhook's check: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, timestamp
 * within 300 s, compared in constant time.
 * @param {http.IncomingHttpHeaders} headers
 * @param {string} rawBody
 * @param {string} secret
 */
function verifySignature(headers, rawBody, secret) {
  const timestamp = headers['x-reflexive-timestamp'];
  const signature = headers['x-reflexive-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string' || !/^\d+$/.test(timestamp)) {
    return false;
  }
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) {
    return false;
  }
  const expected = Buffer.from(`v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const actual = Buffer.from(signature);
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

/**
 * A loopback URL nothing listens on: a port just used and released.
 * @returns {Promise<string>}
 */
async function closedPortUrl() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return `http://127.0.0.1:${port}/api/v1/elevations`;
}

/**
 * A webhook `allow` answer.
 * @param {string[]} grantedScopes
 * @param {object} [overrides]
 */
function allowDecision(grantedScopes, overrides = {}) {
  return {
    decision: 'allow',
    grant_id: 'grt_0001',
    granted_scopes: grantedScopes,
    denied_scopes: [],
    expires_at: '2099-01-01T00:15:00Z',
    trust_score: 92,
    reasons: [{ code: 'policy_satisfied', detail: 'All checks passed.' }],
    judge: { kind: 'policy', verdict: 'consistent' },
    ...overrides,
  };
}

/**
 * A webhook `deny` or `block` answer.
 * @param {'deny' | 'block'} decision
 * @param {string} code
 */
function refusal(decision, code) {
  return {
    decision,
    grant_id: null,
    granted_scopes: [],
    denied_scopes: [],
    expires_at: null,
    trust_score: 92,
    reasons: [{ code, detail: 'Refused.' }],
    judge: { kind: 'policy', verdict: 'consistent' },
  };
}

module.exports = {
  WEBHOOK_SECRET,
  allowDecision,
  closedPortUrl,
  createRecordingApi,
  credentialsExchangeEvent,
  merge,
  postLoginEvent,
  refusal,
  secrets,
  startWebhook,
  verifySignature,
};
