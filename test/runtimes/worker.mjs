// Harness for Cloudflare workerd (through miniflare, without nodejs_compat): bundled by esbuild
// from the consumer project; runs the suite on each request and answers with the result as JSON.
// The input comes in the SMOKE_INPUT binding.
import * as main from '@grantex/sdk';
import * as jwt from '@grantex/sdk/jwt';
import * as pkce from '@grantex/sdk/pkce';
import * as webhooks from '@grantex/sdk/webhooks';
import * as errors from '@grantex/sdk/errors';
import * as enforce from '@grantex/sdk/enforce';
import * as testing from '@grantex/sdk/testing';
import * as vault from '@grantex/sdk/vault';
import { runSmoke } from './smoke.mjs';

export default {
  async fetch(_request, env) {
    const input = typeof env.SMOKE_INPUT === 'string' ? JSON.parse(env.SMOKE_INPUT) : env.SMOKE_INPUT;
    const result = await runSmoke({ main, jwt, pkce, webhooks, errors, enforce, testing, vault }, input);
    result.detail = `typeof process: ${typeof globalThis.process}, typeof Buffer: ${typeof globalThis.Buffer}`;
    return Response.json(result);
  },
};
