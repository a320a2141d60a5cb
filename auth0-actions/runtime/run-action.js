#!/usr/bin/env node
'use strict';

/**
 * Runs real Auth0 Action code for the local Auth0 emulator, once per token it issues.
 *
 * stdin:  one JSON object {"trigger": "post-login" | "credentials-exchange",
 *         "actions": ["/abs/path/code.js", ...], "event": {...Auth0 event, with event.secrets}}
 * stdout: one JSON line {"ok": true, "denied": null | {"code", "reason"},
 *         "access_token": {"added_scopes", "removed_scopes", "custom_claims"},
 *         "id_token": {"custom_claims"}, "app_metadata": {...}, "logs": [...]}
 *         or {"ok": false, "error": "..."} with exit code 1.
 *
 * The actions run in order and the run stops after the first one that denies, as on Auth0.
 * Anything the actions print goes into "logs", never to stdout.
 */

const path = require('node:path');
const util = require('node:util');
const { createRecordingApi } = require('./recording-api.js');

/** @type {Record<string, string>} */
const HANDLERS = {
  'post-login': 'onExecutePostLogin',
  'credentials-exchange': 'onExecuteCredentialsExchange',
};

/**
 * @param {NodeJS.ReadableStream} stream
 * @returns {Promise<string>}
 */
async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * @param {unknown} input
 * @returns {{trigger: 'post-login' | 'credentials-exchange', actions: string[], event: object}}
 */
function readInput(input) {
  /** @type {any} */
  const i = input;
  if (i === null || typeof i !== 'object' || Array.isArray(i)) {
    throw new Error('Input must be a JSON object.');
  }
  if (!Object.hasOwn(HANDLERS, i.trigger)) {
    throw new Error(`"trigger" must be one of: ${Object.keys(HANDLERS).join(', ')}.`);
  }
  if (!Array.isArray(i.actions) || !i.actions.every((/** @type {unknown} */ a) => typeof a === 'string' && a !== '')) {
    throw new Error('"actions" must be an array of paths to code.js files.');
  }
  if (i.event === null || typeof i.event !== 'object' || Array.isArray(i.event)) {
    throw new Error('"event" must be a JSON object.');
  }
  return { trigger: i.trigger, actions: i.actions, event: i.event };
}

/**
 * Routes console output and direct stdout writes into `logs` so stdout carries only the result.
 * @param {string[]} logs
 * @returns {() => void} restores the originals
 */
function captureOutput(logs) {
  const methods = /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug', 'trace']);
  const originals = methods.map((m) => console[m]);
  const originalWrite = process.stdout.write;
  for (const m of methods) {
    console[m] = (...args) => {
      logs.push(util.format(...args));
    };
  }
  process.stdout.write = /** @type {any} */ ((/** @type {unknown} */ chunk) => {
    logs.push(String(chunk).replace(/\n$/, ''));
    return true;
  });
  return () => {
    methods.forEach((m, i) => {
      console[m] = originals[i];
    });
    process.stdout.write = originalWrite;
  };
}

/**
 * @param {string} raw
 * @returns {Promise<object>}
 */
async function run(raw) {
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('Input is not valid JSON.');
  }
  const { trigger, actions, event } = readInput(parsed);
  const recording = createRecordingApi(trigger);
  /** @type {string[]} */
  const logs = [];
  const restore = captureOutput(logs);
  try {
    for (const file of actions) {
      const action = require(path.resolve(file));
      const handler = action[HANDLERS[trigger]];
      if (typeof handler !== 'function') {
        throw new Error(`${file} does not export ${HANDLERS[trigger]}.`);
      }
      await handler(event, recording.api);
      if (recording.result().denied !== null) {
        break;
      }
    }
  } finally {
    restore();
  }
  return { ok: true, ...recording.result(), logs };
}

/**
 * @param {object} result
 * @param {number} exitCode
 */
function finish(result, exitCode) {
  // Exit once the line is flushed: idle keep-alive sockets must not hold the emulator waiting.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(exitCode));
}

readAll(process.stdin)
  .then(run)
  .then(
    (result) => finish(result, 0),
    (error) => finish({ ok: false, error: error instanceof Error ? error.message : String(error) }, 1),
  );
