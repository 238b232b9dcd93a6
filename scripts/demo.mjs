// `npm run demo`: runs examples/quickstart.ts against the local test server (`@grantex/sdk/testing`,
// loaded from the sources), which this script starts on a free port and stops afterwards. The
// quickstart gets the server's live key, so its authorization waits for consent, real RS256
// tokens come back, and it verifies them offline against the server's JWKS.
// With GRANTEX_BASE_URL set, it runs against that server instead (GRANTEX_API_KEY required).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { bundleExample } from './run-example.mjs';
import { loadTestingFromSource } from './test-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const external = process.env.GRANTEX_BASE_URL;
if (external && !process.env.GRANTEX_API_KEY) {
  console.error('Set GRANTEX_API_KEY to run the quickstart against GRANTEX_BASE_URL.');
  process.exit(2);
}

let server;
if (!external) {
  const { createTestServer } = await loadTestingFromSource();
  server = createTestServer();
  await server.listen(0);
}
const env = {
  ...process.env,
  GRANTEX_BASE_URL: external ?? server.url,
  GRANTEX_API_KEY: external ? process.env.GRANTEX_API_KEY : server.apiKey,
  // Against an external server, GRANTEX_ISSUER passes through as set; locally, the server's own.
  ...(external ? {} : { GRANTEX_ISSUER: server.issuer }),
};
console.log(`Running examples/quickstart.ts against ${external ? env.GRANTEX_BASE_URL : `the local test server at ${server.url}`}\n`);

let status = 1;
try {
  const bundled = await bundleExample('examples/quickstart.ts');
  // Asynchronously: the test server answers from this process while the quickstart runs.
  status = await new Promise((resolve) => {
    const child = spawn(process.execPath, [bundled], { cwd: root, env, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
} finally {
  await server?.close();
}
console.log(status === 0 ? '\nQuickstart finished.' : '\nQuickstart failed.');
process.exit(status);
