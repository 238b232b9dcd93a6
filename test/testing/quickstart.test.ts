import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestServer, type TestServer } from '../../src/testing/index.js';

// @ts-expect-error plain ESM script without type declarations
import { bundleExample } from '../../scripts/run-example.mjs';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/**
 * The quickstart against a self-hosted server whose issuer is not its address: served at
 * 127.0.0.1, signing as localhost, as a local Grantex does by default.
 */
describe('the quickstart and the issuer', () => {
  let server: TestServer;
  let bundle: string;
  beforeAll(async () => {
    server = createTestServer({ issuer: 'http://localhost:3001' });
    await server.listen(0);
    bundle = await bundleExample('examples/quickstart.ts');
  }, 60_000);
  afterAll(() => server.close());

  const quickstart = (extra: Record<string, string>) =>
    run(process.execPath, [bundle], { cwd: root, timeout: 30_000, env: { PATH: process.env['PATH'], GRANTEX_BASE_URL: server.url, GRANTEX_API_KEY: server.apiKey, ...extra } });

  it('without GRANTEX_ISSUER the offline step fails and says how to set it', async () => {
    const failed = await quickstart({}).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('signs its tokens as "http://localhost:3001"');
    expect(failed?.stderr).toContain('Set GRANTEX_ISSUER=http://localhost:3001');
    expect(failed?.stderr).not.toContain(server.apiKey);
  }, 60_000);

  it('with GRANTEX_ISSUER it verifies offline and runs to the end', async () => {
    const { stdout } = await quickstart({ GRANTEX_ISSUER: 'http://localhost:3001' });
    expect(stdout).toMatch(/✔ verified the grant token offline against the JWKS/);
    expect(stdout).toMatch(/✔ revoked the grant/);
  }, 60_000);
});
