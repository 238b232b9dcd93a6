// Harness of the adapter checks for Deno (and any ESM runtime): imports the packed package's
// adapter entries and the frameworks installed beside it, prints the result after the marker.
import * as mcp from '@grantex/sdk/mcp';
import * as ai from '@grantex/sdk/ai';
import * as enforce from '@grantex/sdk/enforce';
import * as testing from '@grantex/sdk/testing';
import * as mcpServer from '@modelcontextprotocol/sdk/server/mcp.js';
import * as mcpTransport from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import * as aiCore from 'ai';
import * as aiTest from 'ai/test';
import { z } from 'zod';
import { runAdapterSmoke } from './adapters-smoke.mjs';

const env = (name) => (globalThis.Deno ? globalThis.Deno.env.get(name) : globalThis.process.env[name]);
const input = JSON.parse(env('GRANTEX_SMOKE_INPUT'));
const result = await runAdapterSmoke({ mcp, ai, enforce, testing, mcpServer, mcpTransport, aiCore, aiTest, z }, input);
console.log('SMOKE_RESULT ' + JSON.stringify(result));
if (!result.ok) {
  if (globalThis.Deno) globalThis.Deno.exit(1);
  else globalThis.process.exitCode = 1;
}
