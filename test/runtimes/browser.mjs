// Harness for the browser: bundled by esbuild from the consumer project and loaded by index.html.
// The input comes from the page's URL (?input=<JSON>); the result is left on window.__smoke.
import * as main from '@grantex/sdk';
import * as jwt from '@grantex/sdk/jwt';
import * as pkce from '@grantex/sdk/pkce';
import * as webhooks from '@grantex/sdk/webhooks';
import * as errors from '@grantex/sdk/errors';
import * as enforce from '@grantex/sdk/enforce';
import * as testing from '@grantex/sdk/testing';
import * as vault from '@grantex/sdk/vault';
import { runSmoke } from './smoke.mjs';

const input = JSON.parse(new URL(location.href).searchParams.get('input'));
window.__smoke = runSmoke({ main, jwt, pkce, webhooks, errors, enforce, testing, vault }, input).then(
  (result) => ({ ...result, origin: location.origin }),
  (error) => ({ runtime: input.runtime, ok: false, results: [{ name: 'harness', ok: false, error: String(error) }] }),
);
