'use strict';
// Checks auth0-actions/tenant.yaml against the code and the policy before anything is deployed:
// every Action bound to a trigger is defined, supports that trigger, and has its code file with the
// handler the trigger calls; every scope the file names (resource server, client grants,
// ELEVATED_SCOPES) exists where it must: in the Agents API, in the policy (policy.json), or among the
// Management API's scopes. Exit code 1 and one line per problem when anything is wrong.
//
//   node auth0-actions/check-tenant.js [tenant.yaml] [policy.json]
//
// No dependencies: parseYaml reads the block-style subset tenant.yaml uses (maps, lists, plain and
// quoted scalars, comments, empty [] and {}) and refuses anything else by line number, so a construct
// it does not know can never be misread silently.

const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_TENANT = path.join(__dirname, 'tenant.yaml');
const DEFAULT_POLICY = path.join(__dirname, '..', 'src', 'ReflexiveIdentity.Core', 'Policy', 'policy.json');

// The scope the service's admin routes require (AdminGate).
const ADMIN_SCOPE = 'reflexive:admin';

// The handler each trigger calls (the emulator's run-action.js calls the same).
const HANDLERS = {
  'post-login': 'onExecutePostLogin',
  'credentials-exchange': 'onExecuteCredentialsExchange',
};

// Auth0 Management API v2 scopes a client grant may name (the resource-related ones; extend as needed).
const MANAGEMENT_SCOPES = new Set(
  [
    'users', 'users_app_metadata', 'clients', 'client_keys', 'client_grants', 'connections',
    'resource_servers', 'roles', 'actions', 'rules', 'hooks', 'organizations', 'organization_members',
    'organization_member_roles', 'organization_connections', 'organization_invitations',
  ].flatMap((resource) => ['read', 'create', 'update', 'delete'].map((verb) => `${verb}:${resource}`))
    .concat([
      'read:user_idp_tokens', 'read:role_members', 'create:role_members', 'delete:role_members',
      'read:logs', 'read:logs_users', 'read:stats', 'read:tenant_settings', 'update:tenant_settings',
      'read:grants', 'delete:grants', 'read:triggers', 'update:triggers', 'read:email_provider',
      'update:email_provider', 'read:custom_domains', 'read:attack_protection', 'update:attack_protection',
    ]),
);

const ELEVATED_SCOPES_DEFAULT = 'generate.report,share.output';

class YamlSubsetError extends Error {}

/** Parses the block-style YAML subset described above into plain objects, arrays and strings. */
function parseYaml(text) {
  const lines = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const content = stripComment(raw, index + 1);
    if (content.trim() === '') {
      return;
    }
    if (/^\s*\t/.test(content)) {
      throw new YamlSubsetError(`line ${index + 1}: tabs are not allowed for indentation`);
    }
    const indent = content.length - content.trimStart().length;
    lines.push({ indent, text: content.trim(), number: index + 1 });
  });

  let position = 0;

  function parseBlock(indent) {
    const line = lines[position];
    return isItem(line.text) ? parseSequence(indent) : parseMapping(indent);
  }

  function parseMapping(indent) {
    const result = {};
    while (position < lines.length && lines[position].indent === indent && !isItem(lines[position].text)) {
      const line = lines[position];
      const entry = splitKey(line.text, line.number);
      if (Object.prototype.hasOwnProperty.call(result, entry.key)) {
        throw new YamlSubsetError(`line ${line.number}: duplicate key '${entry.key}'`);
      }
      position += 1;
      result[entry.key] = entry.rest === '' ? parseNested(indent, line.number) : scalar(entry.rest, line.number);
    }
    checkDedent(indent);
    return result;
  }

  function parseSequence(indent) {
    const result = [];
    while (position < lines.length && lines[position].indent === indent && isItem(lines[position].text)) {
      const line = lines[position];
      const rest = line.text === '-' ? '' : line.text.slice(2).trim();
      if (rest === '') {
        position += 1;
        result.push(parseNested(indent, line.number));
      } else if (keyPattern.test(rest)) {
        // "- key: value": a mapping whose keys sit where "key" starts.
        const offset = line.text.indexOf(rest);
        lines[position] = { indent: indent + offset, text: rest, number: line.number };
        result.push(parseMapping(indent + offset));
      } else {
        position += 1;
        result.push(scalar(rest, line.number));
      }
    }
    checkDedent(indent);
    return result;
  }

  // The value of "key:" with nothing after it: a deeper block, a sequence at the key's own indent, or null.
  function parseNested(indent, number) {
    const next = lines[position];
    if (next === undefined || next.indent < indent) {
      return null;
    }
    if (next.indent > indent) {
      return parseBlock(next.indent);
    }
    if (isItem(next.text)) {
      return parseSequence(indent);
    }
    return null;
  }

  function checkDedent(indent) {
    const next = lines[position];
    if (next !== undefined && next.indent > indent) {
      throw new YamlSubsetError(`line ${next.number}: unexpected indentation`);
    }
  }

  if (lines.length === 0) {
    return null;
  }
  const document = parseBlock(lines[0].indent);
  if (position < lines.length) {
    throw new YamlSubsetError(`line ${lines[position].number}: unexpected content '${lines[position].text}'`);
  }
  return document;
}

const keyPattern = /^('[^']*'|"[^"]*"|[^\s'"#\-[{][^:]*?|-[^\s:][^:]*?)\s*:(\s|$)/;

function isItem(text) {
  return text === '-' || text.startsWith('- ');
}

function splitKey(text, number) {
  const match = keyPattern.exec(text);
  if (!match) {
    throw new YamlSubsetError(`line ${number}: expected 'key: value', found '${text}'`);
  }
  return { key: unquote(match[1], number), rest: text.slice(match[0].length).trim() };
}

function scalar(text, number) {
  if (text === '[]') {
    return [];
  }
  if (text === '{}') {
    return {};
  }
  if (/^[[{&*!|>%@`]/.test(text)) {
    throw new YamlSubsetError(`line ${number}: '${text}' uses YAML this checker does not read (flow collections, anchors, tags, block scalars)`);
  }
  return unquote(text, number);
}

function unquote(text, number) {
  if (text.startsWith("'")) {
    if (!/^'([^']|'')*'$/.test(text)) {
      throw new YamlSubsetError(`line ${number}: unterminated single-quoted string ${text}`);
    }
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text.startsWith('"')) {
    if (!/^"([^"\\]|\\.)*"$/.test(text)) {
      throw new YamlSubsetError(`line ${number}: unterminated double-quoted string ${text}`);
    }
    return JSON.parse(text);
  }
  return text;
}

// Drops a comment: '#' at the start or after whitespace, outside quotes.
function stripComment(raw, number) {
  let quote = null;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw[i];
    if (quote !== null) {
      if (c === quote) {
        quote = null;
      }
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(raw[i - 1]))) {
      return raw.slice(0, i).trimEnd();
    }
  }
  if (quote !== null && !/^\s*#/.test(raw)) {
    throw new YamlSubsetError(`line ${number}: unterminated quoted string`);
  }
  return raw;
}

function list(value) {
  return Array.isArray(value) ? value : [];
}

/**
 * Every problem with the tenant configuration, as sentences naming what is wrong and where.
 * @param {{tenantPath?: string, policyPath?: string}} [paths]
 * @returns {string[]}
 */
function checkTenant(paths = {}) {
  const tenantPath = paths.tenantPath || DEFAULT_TENANT;
  const policyPath = paths.policyPath || DEFAULT_POLICY;
  const problems = [];

  let tenant;
  try {
    tenant = parseYaml(fs.readFileSync(tenantPath, 'utf8')) || {};
  } catch (error) {
    return [`${tenantPath}: ${error.message}`];
  }
  const policy = JSON.parse(fs.readFileSync(policyPath, 'utf8'));
  const policyScopes = policy.scopes || {};
  const baseDir = path.dirname(tenantPath);

  // The Agents API: the resource server whose scopes the agents hold.
  const servers = list(tenant.resourceServers);
  const agentsApi = servers.find((server) => list(server.scopes).some((scope) => Object.prototype.hasOwnProperty.call(policyScopes, scope.value)));
  if (!agentsApi) {
    problems.push('resourceServers: no resource server defines any scope of the policy');
  }
  const apiScopes = new Set(agentsApi ? list(agentsApi.scopes).map((scope) => scope.value) : []);
  for (const scope of Object.keys(policyScopes)) {
    if (agentsApi && !apiScopes.has(scope)) {
      problems.push(`resourceServers '${agentsApi.name}': policy scope '${scope}' is not defined, so no token can carry it`);
    }
  }
  if (agentsApi && !apiScopes.has(ADMIN_SCOPE)) {
    problems.push(`resourceServers '${agentsApi.name}': the admin scope '${ADMIN_SCOPE}' the service requires is not defined`);
  }

  // Actions and their triggers.
  const actions = new Map();
  for (const action of list(tenant.actions)) {
    actions.set(action.name, action);
    const triggers = list(action.supported_triggers).map((trigger) => trigger.id);
    const code = action.code ? path.resolve(baseDir, action.code) : null;
    if (!code || !fs.existsSync(code)) {
      problems.push(`actions '${action.name}': code file ${action.code || '(none)'} does not exist`);
    } else {
      const source = fs.readFileSync(code, 'utf8');
      for (const trigger of triggers) {
        const handler = HANDLERS[trigger];
        if (handler === undefined) {
          problems.push(`actions '${action.name}': trigger '${trigger}' is not one this service uses (${Object.keys(HANDLERS).join(', ')})`);
        } else if (!new RegExp(`exports\\.${handler}\\s*=`).test(source)) {
          problems.push(`actions '${action.name}': ${action.code} does not export ${handler}, which '${trigger}' calls`);
        }
      }
    }

    const secrets = list(action.secrets);
    for (const required of ['WEBHOOK_URL', 'WEBHOOK_SECRET']) {
      if (!secrets.some((secret) => secret.name === required)) {
        problems.push(`actions '${action.name}': secret ${required} is missing`);
      }
    }
    const elevated = secrets.find((secret) => secret.name === 'ELEVATED_SCOPES');
    const elevatedValue = elevated && elevated.value ? elevated.value : ELEVATED_SCOPES_DEFAULT;
    for (const scope of elevatedValue.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      if (!apiScopes.has(scope)) {
        problems.push(`actions '${action.name}': ELEVATED_SCOPES names '${scope}', which the Agents API does not define`);
      }
      if (!Object.prototype.hasOwnProperty.call(policyScopes, scope)) {
        problems.push(`actions '${action.name}': ELEVATED_SCOPES names '${scope}', which policy.json does not know (the webhook would answer unknown_scope)`);
      } else if (policyScopes[scope].baseline) {
        problems.push(`actions '${action.name}': ELEVATED_SCOPES names '${scope}', a baseline scope in policy.json`);
      }
    }
  }

  const triggers = tenant.triggers || {};
  for (const [trigger, bindings] of Object.entries(triggers)) {
    for (const binding of list(bindings)) {
      const action = actions.get(binding.action_name);
      if (!action) {
        problems.push(`triggers '${trigger}': action '${binding.action_name}' is not defined under actions`);
      } else if (!list(action.supported_triggers).some((supported) => supported.id === trigger)) {
        problems.push(`triggers '${trigger}': action '${binding.action_name}' does not list '${trigger}' in supported_triggers`);
      }
    }
  }
  for (const trigger of Object.keys(HANDLERS)) {
    if (!list(triggers[trigger]).length) {
      problems.push(`triggers: nothing is bound to '${trigger}', so those tokens are issued without the webhook`);
    }
  }

  // Clients and their grants.
  const clients = new Set(list(tenant.clients).map((client) => client.name));
  for (const grant of list(tenant.clientGrants)) {
    if (!clients.has(grant.client_id)) {
      problems.push(`clientGrants: client '${grant.client_id}' is not defined under clients`);
    }
    const audience = String(grant.audience || '');
    const management = /\/api\/v2\/?$/.test(audience);
    if (!management && (!agentsApi || audience !== agentsApi.identifier)) {
      problems.push(`clientGrants '${grant.client_id}': audience '${audience}' is neither the Agents API nor the Management API`);
      continue;
    }
    for (const scope of list(grant.scope)) {
      if (management && !MANAGEMENT_SCOPES.has(scope)) {
        problems.push(`clientGrants '${grant.client_id}': '${scope}' is not a Management API scope`);
      } else if (!management && !apiScopes.has(scope)) {
        problems.push(`clientGrants '${grant.client_id}': '${scope}' is not a scope of the Agents API`);
      }
    }
  }

  return problems;
}

module.exports = { checkTenant, parseYaml, YamlSubsetError };

if (require.main === module) {
  const [tenantPath, policyPath] = process.argv.slice(2);
  const problems = checkTenant({ tenantPath, policyPath });
  if (problems.length > 0) {
    for (const problem of problems) {
      console.error(`tenant.yaml: ${problem}`);
    }
    process.exit(1);
  }
  console.log(`tenant.yaml: actions, triggers and scopes check out (${tenantPath || DEFAULT_TENANT})`);
}
