import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createTestServer, type TestServer } from '../../src/testing/index.js';

// @ts-expect-error plain ESM script without type declarations
import { bundleExample } from '../../scripts/run-example.mjs';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/**
 * Every file in examples/ runs here, bundled as a user's code would be (importing `@grantex/sdk`),
 * against the suite's Prism mock or with local keys only, and must print these lines.
 * (Type-checking of the same files happens in `tsc -p test/tsconfig.json`.)
 */
const EXPECTED: Record<string, RegExp[]> = {
  'guard-worker.ts': [/^github\.list_repos with a read grant -> 200/m, /^github\.create_issue with a read grant -> 403 PERMISSION_INSUFFICIENT$/m, /-> 403 AMOUNT_OVER_CAP$/m, /-> 403 TOOL_UNKNOWN$/m, /^no token -> 401 TOKEN_MALFORMED$/m],
  'guard-express.ts': [/with a write grant -> 201/, /with a read grant -> 403 \{"code":"PERMISSION_INSUFFICIENT"/],
  'guard-tool.ts': [/^created a payment of 120 EUR$/m, /^refused: AMOUNT_OVER_CAP \(cap 500\)$/m, /^permissive: allowed true$/m],
  'live-events.ts': [/^grant grnt_1 revoked$/m, /^grant grnt_3 is out of budget$/m, /^gap: reconnecting after "ended" \(attempt 1, in \d+ ms\)$/m, /^resumed: events between \S+ and \S+ may be missing$/m, /^grant grnt_4 revoked$/m, /^too many streams: TOO_MANY_CONNECTIONS$/m],
  'quickstart.ts': [
    /✔ registered agent/,
    /✔ exchanged code for a grant token/,
    /✔ verified the grant token offline against the JWKS/,
    /✔ delegated to the sub-agent/,
    /✔ enforcer in 'events' mode allowed a tool call/,
    /✔ revoked that grant: the next check is denied\n\s+code: "TOKEN_REVOKED"/,
    /✔ revoked the grant/,
  ],
  'revocation.ts': [
    /^before: ALLOWED$/m,
    /^after: TOKEN_REVOKED \(Grant grnt_\w+ was revoked\), [\d.]+ ms after the revoke call returned$/m,
    /^delegated, after: TOKEN_REVOKED \(The token's grant was delegated from grant grnt_\w+, which was revoked\)$/m,
    /^token tok_\w+: TOKEN_REVOKED$/m,
    /^fail closed: 503 REVOCATION_UNKNOWN$/m,
    /^fail open: ALLOWED, revocationUnknown true$/m,
  ],
  'budgets.ts': [/^allocated 100(\.0+)? USD to grnt_/m, /^debited 10\.5, remaining 89\.5/m, /^refused: INSUFFICIENT_BUDGET$/m, /^balance 89\.5/m, /^transaction 10\.5(0+)? \{"calls":3\}$/m],
  'credentials.ts': [/^credential vc_\w+ is valid$/m, /^issuer did:web:\S+ publishes \d+ key\(s\)$/m, /^issued passport urn:grantex:passport:/m, /^passport urn:grantex:passport:\S+ /m, /^revoked the passport$/m],
  'testing.ts': [/^grant grnt_\w+ issued$/m, /^offline: user_123 may use calendar:read$/m, /^minted token for user_456$/m, /^after 25 hours the server says valid: false$/m, /^delivery grant\.revoked for grnt_\w+ verified$/m, /^live event grant\.revoked: \{"grantId":"grnt_\w+","cascade":false\}$/m, /^listening: 200 /m],
  'getting-started.ts': [/^send the user to https?:\/\//m, /^revoked grant grnt_/m, /^\d+ active grants in all$/m],
  'authorization-pkce.ts': [/^consent URL: /m, /^grant token issued for grant grnt_/m, /^verifier matches challenge: true$/m],
  'offline-verification.ts': [
    /^grant grnt_01EXAMPLE: user_123 allowed did:grantex:ag_01EXAMPLE \[calendar:read\]/m,
    /^rejected: TOKEN_SCOPES_MISSING \(missing calendar:write\)$/m,
    /^decoded \(not verified\): grnt_01EXAMPLE false$/m,
  ],
  'delegation.ts': [/^delegated grant grnt_\w+ scopes calendar:read$/m, /^delegation depth 1 parent grant grnt_/m, /^revoked parent grant grnt_/m],
  'webhooks.ts': [
    /^subscribed webhook wh_/m,
    /^received grant\.revoked for grnt_1 \(cascade: true\)$/m,
    /^authentic delivery -> 200 ok$/m,
    /^tampered delivery -> 400 WEBHOOK_SIGNATURE_INVALID$/m,
    /^verifier checked evt_1$/m,
  ],
  'vault.ts': [/^stored credential vault_/m, /^vault holds github for /m, /^agent received a github credential: /m, /^revoked grant and deleted credential$/m],
  'authorized-fetch.ts': [
    /^GitHub answered 200$/m,
    /^repos: alice\/dotfiles, alice\/blog$/m,
    /^delete_repo refused: PERMISSION_INSUFFICIENT, GitHub calls made: 0$/m,
    /^refused: ORIGIN_NOT_ALLOWED$/m,
    /^via the client: 200$/m,
    /^after revocation: UNAUTHORIZED \(401\)$/m,
  ],
  'errors-and-retries.ts': [
    /^not found: NOT_FOUND \(status 404/m,
    /^attempt 3: GET agents.list$/m,
    /^listed 0 agents after 3 attempts$/m,
    /^gave up: TIMEOUT$/m,
  ],
  'mcp-server.ts': [
    /^allowed: opened "Broken link" in acme\/web$/m,
    /^denied: PERMISSION_INSUFFICIENT: .*needs write; the grant holds read$/m,
    /^no token: 401 Bearer error="invalid_token", .*resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/m,
    /^metadata: authorization server http/m,
  ],
  'ai-sdk.ts': [/^120 EUR allowed: \{"paymentId":"pay_123","amount":120,"currency":"EUR"\}$/m, /^900 EUR denied: AMOUNT_OVER_CAP /m],
  'langchain.ts': [/^list_repos allowed: acme\/web, acme\/api$/m, /^delete_repo denied: \{"denied":true,"code":"PERMISSION_INSUFFICIENT"/m, /^no token: TOKEN_MALFORMED$/m],
  'openai-agents.ts': [/^list_events allowed: 2026-12-07: standup 09:30, review 14:00$/m, /^delete_event denied: \{"denied":true,"code":"PERMISSION_INSUFFICIENT"/m],
  'commerce.ts': [
    /^onboarded mch_\w+ in sandbox with 1 variant\(s\)$/m,
    /^agent found KET-15-BLK at 149900 INR$/m,
    /^cart ccart_\w+ totals 299800 INR$/m,
    /^checkout passport cpsp_\w+ caps 400000 INR$/m,
    /^payment intent cpi_\w+ is payment_pending$/m,
    /^reconcile: no_change \(provider_still_pending\)$/m,
    /^reconcile after settlement: ignored, payment paid$/m,
    /^refused: 409 cart_not_payable \(retryable: false\)$/m,
  ],
  'runtimes.ts': [/^with a grant token -> 200 \{"hello":"user_123"/m, /^without -> 403 forbidden$/m, /^PKCE challenge length 43/m],
};

/** Examples whose flow needs real state run against the local test server instead of Prism. */
const ON_TEST_SERVER = new Set(['quickstart.ts', 'budgets.ts', 'authorized-fetch.ts']);
let testServer: TestServer;
beforeAll(async () => {
  testServer = createTestServer();
  await testServer.listen(0);
});
afterAll(async () => {
  await testServer.close();
});

describe('examples/', () => {
  it('every example file has expectations here', () => {
    const files = readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, patterns] of Object.entries(EXPECTED)) {
    it(`${file} runs green`, async () => {
      const bundle: string = await bundleExample(`examples/${file}`);
      const { stdout } = await run(process.execPath, [bundle], {
        cwd: root,
        timeout: 30_000,
        env: {
          PATH: process.env.PATH,
          GRANTEX_BASE_URL: ON_TEST_SERVER.has(file) ? testServer.url : inject('prismUrl'),
          GRANTEX_API_KEY: ON_TEST_SERVER.has(file) ? testServer.apiKey : 'gx_test_examples_0123456789abcdefghijklmnopqrstuvwxyz',
        },
      });
      for (const pattern of patterns) expect(stdout).toMatch(pattern);
    });
  }
});
