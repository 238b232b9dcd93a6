// `npm run demo`: runs examples/quickstart.ts against a Prism mock of openapi.yaml that this
// script starts and stops. With GRANTEX_BASE_URL set, it runs against that server instead.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startPrism } from './prism.mjs';
import { bundleExample } from './run-example.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const external = process.env.GRANTEX_BASE_URL;
const prism = external ? undefined : await startPrism();
const env = {
  ...process.env,
  GRANTEX_BASE_URL: external ?? prism.url,
  // The mock accepts any well-formed key; a real server needs yours.
  GRANTEX_API_KEY: process.env.GRANTEX_API_KEY ?? (external ? undefined : 'gx_test_local_mock_demo_key_000000000000000'),
};
if (!env.GRANTEX_API_KEY) {
  console.error('Set GRANTEX_API_KEY to run the quickstart against GRANTEX_BASE_URL.');
  process.exit(2);
}
console.log(`Running examples/quickstart.ts against ${env.GRANTEX_BASE_URL}\n`);
let status = 1;
try {
  const bundled = await bundleExample('examples/quickstart.ts');
  status = spawnSync(process.execPath, [bundled], { cwd: root, env, stdio: 'inherit' }).status ?? 1;
} finally {
  await prism?.stop();
}
console.log(status === 0 ? '\nQuickstart finished.' : '\nQuickstart failed.');
process.exit(status);
