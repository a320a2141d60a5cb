'use strict';

// A second post-login Action for run-action.test.js: uses the api methods the Reflexive Actions
// do not, and prints in every way an Action might, to prove none of it reaches stdout.
exports.onExecutePostLogin = async (event, api) => {
  console.log('printed with console.log');
  console.error('printed with console.error');
  process.stdout.write('written to stdout\n');
  api.user.setAppMetadata('last_seen_ip', event.request.ip);
  api.idToken.setCustomClaim('https://reflexive-identity/agent_id', event.user.app_metadata.agent_id);
};
