'use strict';
// check-tenant.js against the real tenant.yaml (clean) and against broken copies of it (each caught).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { checkTenant, parseYaml, YamlSubsetError } = require('../check-tenant.js');

const ROOT = path.join(__dirname, '..');
const TENANT = path.join(ROOT, 'tenant.yaml');
const SCRIPT = path.join(ROOT, 'check-tenant.js');

/** A copy of tenant.yaml and the Actions in a temporary folder, with `edit` applied to the YAML text. */
function brokenCopy(t, edit) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-check-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(path.join(ROOT, 'actions'), path.join(dir, 'actions'), { recursive: true });
  const original = fs.readFileSync(TENANT, 'utf8');
  const edited = edit(original);
  assert.notEqual(edited, original, 'the edit changed nothing');
  fs.writeFileSync(path.join(dir, 'tenant.yaml'), edited);
  return { dir, tenantPath: path.join(dir, 'tenant.yaml') };
}

test('the committed tenant.yaml has no problem', () => {
  assert.deepEqual(checkTenant(), []);
});

test('a trigger bound to an undefined Action is reported', (t) => {
  const { tenantPath } = brokenCopy(t, (yaml) => yaml.replace('- action_name: reflexive-credentials-exchange', '- action_name: reflexive-m2m'));
  assert.deepEqual(checkTenant({ tenantPath }), ["triggers 'credentials-exchange': action 'reflexive-m2m' is not defined under actions"]);
});

test('an Action whose code file is missing is reported', (t) => {
  const { dir, tenantPath } = brokenCopy(t, (yaml) => yaml.replace('./actions/post-login/code.js', './actions/post-login/index.js'));
  fs.rmSync(path.join(dir, 'actions', 'post-login', 'code.js'));
  assert.deepEqual(checkTenant({ tenantPath }), ["actions 'reflexive-post-login': code file ./actions/post-login/index.js does not exist"]);
});

test('an Action bound to a trigger its code has no handler for is reported', (t) => {
  const { tenantPath } = brokenCopy(t, (yaml) => yaml.replace('code: ./actions/credentials-exchange/code.js', 'code: ./actions/post-login/code.js'));
  assert.deepEqual(checkTenant({ tenantPath }), [
    "actions 'reflexive-credentials-exchange': ./actions/post-login/code.js does not export onExecuteCredentialsExchange, which 'credentials-exchange' calls",
  ]);
});

test('ELEVATED_SCOPES naming a scope neither the API nor the policy knows is reported', (t) => {
  const { tenantPath } = brokenCopy(t, (yaml) => yaml.replace("value: 'generate.report,share.output'", "value: 'generate.report,delete.dataset'"));
  assert.deepEqual(checkTenant({ tenantPath }), [
    "actions 'reflexive-post-login': ELEVATED_SCOPES names 'delete.dataset', which the Agents API does not define",
    "actions 'reflexive-post-login': ELEVATED_SCOPES names 'delete.dataset', which policy.json does not know (the webhook would answer unknown_scope)",
  ]);
});

test('a policy scope missing from the Agents API is reported, with the Actions that elevate it', (t) => {
  const { tenantPath } = brokenCopy(t, (yaml) => yaml.replace(/ {6}- value: share\.output\n.*\n/, ''));
  assert.deepEqual(checkTenant({ tenantPath }), [
    "resourceServers 'Reflexive Identity Agents API': policy scope 'share.output' is not defined, so no token can carry it",
    "actions 'reflexive-post-login': ELEVATED_SCOPES names 'share.output', which the Agents API does not define",
    "actions 'reflexive-credentials-exchange': ELEVATED_SCOPES names 'share.output', which the Agents API does not define",
  ]);
});

test('client grants naming scopes that do not exist are reported', (t) => {
  const { tenantPath } = brokenCopy(t, (yaml) => yaml.replace('      - reflexive:admin', '      - reflexive:root').replace('      - update:client_grants', '      - update:client_grant'));
  assert.deepEqual(checkTenant({ tenantPath }), [
    "clientGrants 'reflexive-operator': 'reflexive:root' is not a scope of the Agents API",
    "clientGrants 'reflexive-management': 'update:client_grant' is not a Management API scope",
  ]);
});

test('the command exits 1 and names each problem on a broken copy, 0 on the committed file', (t) => {
  const { tenantPath } = brokenCopy(t, (yaml) => yaml.replace('- action_name: reflexive-post-login', '- action_name: reflexive-login'));
  const broken = spawnSync(process.execPath, [SCRIPT, tenantPath], { encoding: 'utf8' });
  assert.equal(broken.status, 1);
  assert.equal(broken.stderr, "tenant.yaml: triggers 'post-login': action 'reflexive-login' is not defined under actions\n");

  const clean = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
  assert.equal(clean.status, 0, clean.stderr);
});

test('parseYaml reads the subset tenant.yaml uses', () => {
  const yaml = [
    '# comment',
    'list:',
    '  - plain',
    "  - 'quoted ''twice'' # not a comment'",
    '  - read:users',
    'items:',
    '- name: a   # trailing comment',
    '  nested:',
    '    deep: "x"',
    '- name: b',
    '  empty: []',
  ].join('\n');
  assert.deepEqual(parseYaml(yaml), {
    list: ['plain', "quoted 'twice' # not a comment", 'read:users'],
    items: [{ name: 'a', nested: { deep: 'x' } }, { name: 'b', empty: [] }],
  });
});

test('parseYaml refuses YAML it does not read, naming the line', () => {
  assert.throws(() => parseYaml('a:\n  b: [x, y]\n'), (error) => error instanceof YamlSubsetError && /^line 2: /.test(error.message));
  assert.throws(() => parseYaml('a: &anchor x\n'), /line 1/);
  assert.throws(() => parseYaml('a: x\n    b: y\n'), /line 2: unexpected indentation/);
});
