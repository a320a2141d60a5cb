'use strict';

// A post-login Action that fails, for run-action.test.js.
exports.onExecutePostLogin = async () => {
  throw new Error('boom from action');
};
