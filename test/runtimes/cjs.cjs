// Harness for Node's CommonJS path: the package is loaded with require() (the .cjs build), then
// the shared ESM suite is imported to run the checks against those CJS modules.
'use strict';
const main = require('@grantex/sdk');
const jwt = require('@grantex/sdk/jwt');
const pkce = require('@grantex/sdk/pkce');
const webhooks = require('@grantex/sdk/webhooks');
const errors = require('@grantex/sdk/errors');
const enforce = require('@grantex/sdk/enforce');
const testing = require('@grantex/sdk/testing');
const vault = require('@grantex/sdk/vault');

(async () => {
  const resolved = require.resolve('@grantex/sdk');
  if (!resolved.endsWith('.cjs')) throw new Error(`require('@grantex/sdk') resolved to ${resolved}, not the CJS build`);
  const { runSmoke } = await import('./smoke.mjs');
  const result = await runSmoke({ main, jwt, pkce, webhooks, errors, enforce, testing, vault }, JSON.parse(process.env.GRANTEX_SMOKE_INPUT));
  result.resolved = resolved;
  console.log('SMOKE_RESULT ' + JSON.stringify(result));
  if (!result.ok) process.exitCode = 1;
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
