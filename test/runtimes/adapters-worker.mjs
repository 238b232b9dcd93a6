// Harness of the adapter checks for Cloudflare workerd (through miniflare, without nodejs_compat):
// bundled by esbuild from the consumer project; runs the checks on each request.
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

export default {
  async fetch(_request, env) {
    const input = typeof env.SMOKE_INPUT === 'string' ? JSON.parse(env.SMOKE_INPUT) : env.SMOKE_INPUT;
    return Response.json(await runAdapterSmoke({ mcp, ai, enforce, testing, mcpServer, mcpTransport, aiCore, aiTest, z }, input));
  },
};
