// Harness for Node (ESM import), Deno and Bun: runs from a consumer project that installed the
// packed tarball. Input: JSON in the GRANTEX_SMOKE_INPUT environment variable. Prints the result
// as one JSON line after the marker; exits 1 on any failure.
import * as main from '@grantex/sdk';
import * as jwt from '@grantex/sdk/jwt';
import * as pkce from '@grantex/sdk/pkce';
import * as webhooks from '@grantex/sdk/webhooks';
import * as errors from '@grantex/sdk/errors';
import * as enforce from '@grantex/sdk/enforce';
import * as testing from '@grantex/sdk/testing';
import * as vault from '@grantex/sdk/vault';
import { runSmoke } from './smoke.mjs';

const env = (name) => (globalThis.Deno ? globalThis.Deno.env.get(name) : globalThis.process.env[name]);
const input = JSON.parse(env('GRANTEX_SMOKE_INPUT'));
let resolved;
try {
  resolved = import.meta.resolve('@grantex/sdk');
} catch {
  resolved = undefined;
}
const result = await runSmoke({ main, jwt, pkce, webhooks, errors, enforce, testing, vault }, input);
result.resolved = resolved;
console.log('SMOKE_RESULT ' + JSON.stringify(result));
if (!result.ok) {
  if (globalThis.Deno) globalThis.Deno.exit(1);
  else globalThis.process.exitCode = 1;
}
