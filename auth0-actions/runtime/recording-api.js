'use strict';

/**
 * The `api` object an Auth0 Action receives, recording every call instead of acting on a token.
 * Used by the tests (test/harness.js) and by run-action.js, which the local Auth0 emulator runs,
 * so both see the same behaviour. Each trigger gets only the methods Auth0 gives it there, so an
 * Action calling a method its trigger lacks fails here as it would on Auth0.
 */

/** @typedef {'post-login' | 'credentials-exchange'} Trigger */

/** @typedef {{method: string, args: unknown[]}} ApiCall */

/**
 * @typedef {object} ActionResult
 * @property {{code: string, reason: string} | null} denied the first deny, if any
 * @property {{added_scopes: string[], removed_scopes: string[], custom_claims: Record<string, unknown>}} access_token
 * @property {{custom_claims: Record<string, unknown>}} id_token
 * @property {Record<string, unknown>} app_metadata values set with api.user.setAppMetadata
 */

/**
 * @param {Trigger} trigger
 * @returns {{api: any, calls: ApiCall[], result: () => ActionResult}}
 */
function createRecordingApi(trigger) {
  if (trigger !== 'post-login' && trigger !== 'credentials-exchange') {
    throw new Error(`Unknown trigger: ${String(trigger)}`);
  }

  /** @type {ApiCall[]} */
  const calls = [];
  /** @type {{code: string, reason: string} | null} */
  let denied = null;
  // Scope changes are last-wins per scope: adding then removing a scope leaves it removed.
  const added = new Set();
  const removed = new Set();
  /** @type {Record<string, unknown>} */
  const accessTokenClaims = {};
  /** @type {Record<string, unknown>} */
  const idTokenClaims = {};
  /** @type {Record<string, unknown>} */
  const appMetadata = {};

  /**
   * @param {string} method
   * @param {unknown[]} args
   */
  const record = (method, args) => {
    calls.push({ method, args });
  };

  /**
   * @param {string} code
   * @param {unknown} reason
   */
  const deny = (code, reason) => {
    if (denied === null) {
      denied = { code, reason: typeof reason === 'string' ? reason : '' };
    }
  };

  /** @param {string} name @param {unknown} value */
  const setAccessTokenClaim = (name, value) => {
    record('accessToken.setCustomClaim', [name, value]);
    accessTokenClaims[name] = value;
  };

  const api = trigger === 'post-login'
    ? {
      access: {
        /** @param {string} reason */
        deny(reason) {
          record('access.deny', [reason]);
          deny('access_denied', reason);
        },
      },
      accessToken: {
        /** @param {string} scope */
        addScope(scope) {
          record('accessToken.addScope', [scope]);
          removed.delete(scope);
          added.add(scope);
        },
        /** @param {string} scope */
        removeScope(scope) {
          record('accessToken.removeScope', [scope]);
          added.delete(scope);
          removed.add(scope);
        },
        setCustomClaim: setAccessTokenClaim,
      },
      idToken: {
        /** @param {string} name @param {unknown} value */
        setCustomClaim(name, value) {
          record('idToken.setCustomClaim', [name, value]);
          idTokenClaims[name] = value;
        },
      },
      user: {
        /** @param {string} name @param {unknown} value */
        setAppMetadata(name, value) {
          record('user.setAppMetadata', [name, value]);
          appMetadata[name] = value;
        },
      },
    }
    : {
      access: {
        /** @param {string} code @param {string} [reason] */
        deny(code, reason) {
          record('access.deny', reason === undefined ? [code] : [code, reason]);
          deny(code, reason);
        },
      },
      accessToken: {
        setCustomClaim: setAccessTokenClaim,
      },
    };

  return {
    api,
    calls,
    result: () => ({
      denied,
      access_token: {
        added_scopes: [...added],
        removed_scopes: [...removed],
        custom_claims: { ...accessTokenClaims },
      },
      id_token: { custom_claims: { ...idTokenClaims } },
      app_metadata: { ...appMetadata },
    }),
  };
}

module.exports = { createRecordingApi };
