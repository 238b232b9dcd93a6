#!/usr/bin/env node
// Compares the SDK's grant-token verifier with raw jose, and webhook verification with a bare
// WebCrypto HMAC check, in one process. Variants run in interleaved rounds (A B A B …, order
// alternating) so that JIT warm-up, GC and CPU frequency drift hit every variant alike; the
// reported figure is the median of the rounds.
//
//   node bench/verify.bench.mjs [--rounds 12] [--ms 250] [--json]
//
// There is no build yet, so the TypeScript entries are bundled on the fly with esbuild into a
// temporary module under .tmp/ (jose left external, so SDK and raw jose share one jose instance).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `src/<name>/index.ts` and imports it. */
async function importEntry(dir, name) {
  const result = await build({
    entryPoints: [path.join(root, 'src', name, 'index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    external: ['jose'],
    logLevel: 'silent',
  });
  const file = path.join(dir, `${name}.mjs`);
  await writeFile(file, result.outputFiles[0].contents);
  return import(pathToFileURL(file).href);
}

function startJwksServer(jwks) {
  const body = JSON.stringify(jwks);
  const state = { requests: 0 };
  const server = createServer((request, response) => {
    state.requests++;
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        state,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
      });
    });
  });
}

/** Runs `fn` sequentially for `ms` milliseconds; returns operations per second. */
async function opsPerSecond(fn, ms) {
  let count = 0;
  const end = performance.now() + ms;
  let now;
  const start = performance.now();
  do {
    for (let i = 0; i < 16; i++) await fn(count++);
    now = performance.now();
  } while (now < end);
  return (count * 1000) / (now - start);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Measures each pair `{ name, sdk, raw }` in interleaved rounds. */
async function measurePairs(pairs, { rounds, ms }) {
  const samples = new Map(pairs.map((p) => [p.name, { sdk: [], raw: [] }]));
  // Warm-up: one short run of everything, discarded.
  for (const pair of pairs) {
    await opsPerSecond(pair.sdk, Math.min(ms, 100));
    await opsPerSecond(pair.raw, Math.min(ms, 100));
  }
  for (let round = 0; round < rounds; round++) {
    for (const pair of pairs) {
      const order = round % 2 ? ['raw', 'sdk'] : ['sdk', 'raw'];
      for (const side of order) samples.get(pair.name)[side].push(await opsPerSecond(pair[side], ms));
    }
  }
  return pairs.map((pair) => {
    const { sdk, raw } = samples.get(pair.name);
    const ratios = sdk.map((value, i) => value / raw[i]);
    return {
      name: pair.name,
      sdkOpsPerSec: Math.round(median(sdk)),
      rawOpsPerSec: Math.round(median(raw)),
      ratio: Number((median(sdk) / median(raw)).toFixed(3)),
      ratioMedianOfRounds: Number(median(ratios).toFixed(3)),
    };
  });
}

/**
 * Runs the benchmark and returns `{ machine, node, rows }`. Options: `rounds` (default 12), `ms`
 * per sample (default 250), `print` (default true).
 */
export async function run({ rounds = 12, ms = 250, print = true } = {}) {
  const tmp = path.join(root, '.tmp', `bench-${process.pid}`);
  await mkdir(tmp, { recursive: true });
  let server;
  try {
    const [{ createGrantVerifier }, { createWebhookVerifier, verifyWebhook }] = await Promise.all([importEntry(tmp, 'jwt'), importEntry(tmp, 'webhooks')]);

    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = 'grantex-bench';
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig', kid }] };
    server = await startJwksServer(jwks);
    const issuer = server.origin;
    const iat = Math.floor(Date.now() / 1000);
    const mint = (i) =>
      new SignJWT({
        agt: 'did:grantex:ag_01BENCH', dev: 'dev_01BENCH', scp: ['calendar:read', 'calendar:write', 'github:read'],
        grnt: `grnt_01BENCH${i}`, sub: 'user_bench', jti: `tok_01BENCH${i}`, iat, exp: iat + 3600,
      }).setIssuer(issuer).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    const tokens = await Promise.all(Array.from({ length: 256 }, (_, i) => mint(i)));
    const same = tokens[0];
    const distinct = (i) => tokens[i & 255];
    const rawOptions = { issuer, algorithms: ['RS256'] };

    const sdkLocal = createGrantVerifier({ jwks, issuer, developerId: 'dev_01BENCH' });
    const sdkCached = createGrantVerifier({ jwks, issuer, developerId: 'dev_01BENCH', cache: true });
    const rawLocal = createLocalJWKSet(jwks);
    const sdkRemote = createGrantVerifier({ jwksUri: server.jwksUri, developerId: 'dev_01BENCH' });
    const rawRemote = createRemoteJWKSet(new URL(server.jwksUri));
    // Sanity: both sides accept the tokens before anything is timed.
    await sdkLocal.verify(same);
    await sdkCached.verify(same);
    await sdkRemote.verify(same);
    await jwtVerify(same, rawLocal, rawOptions);
    await jwtVerify(same, rawRemote, rawOptions);

    const secret = '557257785fbb5dcd3a208d8bea8925b92c786b462cdf3ef7';
    const payload = JSON.stringify({ id: 'evt_1', type: 'grant.revoked', createdAt: new Date().toISOString(), data: { grantId: 'grnt_1', cascade: true } });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const encoder = new TextEncoder();
    const hmacKey = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, encoder.encode(`${timestamp}.${payload}`)));
    const headers = {
      'x-grantex-signature-v2': `sha256=${Buffer.from(mac).toString('hex')}`,
      'x-grantex-timestamp': timestamp,
    };
    await verifyWebhook({ payload, headers, secret });
    const webhooks = createWebhookVerifier();
    await webhooks.verify({ payload, headers, secret });

    const rows = await measurePairs(
      [
        { name: 'local JWKS, same token', sdk: () => sdkLocal.verify(same), raw: () => jwtVerify(same, rawLocal, rawOptions) },
        { name: 'local JWKS, distinct tokens', sdk: (i) => sdkLocal.verify(distinct(i)), raw: (i) => jwtVerify(distinct(i), rawLocal, rawOptions) },
        { name: 'local JWKS, same token, cache: true', sdk: () => sdkCached.verify(same), raw: () => jwtVerify(same, rawLocal, rawOptions) },
        { name: 'remote JWKS, same token', sdk: () => sdkRemote.verify(same), raw: () => jwtVerify(same, rawRemote, rawOptions) },
        { name: 'remote JWKS, distinct tokens', sdk: (i) => sdkRemote.verify(distinct(i)), raw: (i) => jwtVerify(distinct(i), rawRemote, rawOptions) },
        {
          name: 'webhook v2, verifier (vs bare HMAC verify)',
          sdk: () => webhooks.verify({ payload, headers, secret }),
          // The floor: key already imported, signature already decoded, data already encoded.
          raw: () => crypto.subtle.verify('HMAC', hmacKey, mac, encoder.encode(`${timestamp}.${payload}`)),
        },
        {
          // The function keeps nothing between calls, so it imports the key every time.
          name: 'webhook v2, function (vs bare HMAC verify)',
          sdk: () => verifyWebhook({ payload, headers, secret }),
          // The floor: key already imported, signature already decoded, data already encoded.
          raw: () => crypto.subtle.verify('HMAC', hmacKey, mac, encoder.encode(`${timestamp}.${payload}`)),
        },
      ],
      { rounds, ms },
    );
    const result = {
      machine: `${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), ${os.platform()} ${os.arch()}`,
      node: process.version,
      rounds,
      msPerSample: ms,
      jwksFetches: server.state.requests,
      rows,
    };
    if (print) {
      console.log(`machine: ${result.machine}`);
      console.log(`node:    ${result.node}   rounds: ${rounds} x ${ms} ms per variant, interleaved; medians`);
      const header = ['case', 'SDK ops/s', 'raw ops/s', 'SDK/raw', 'median of round ratios'];
      const lines = rows.map((r) => [r.name, String(r.sdkOpsPerSec), String(r.rawOpsPerSec), r.ratio.toFixed(3), r.ratioMedianOfRounds.toFixed(3)]);
      const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
      const fmt = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
      console.log(fmt(header));
      console.log(widths.map((w) => '-'.repeat(w)).join('  '));
      for (const line of lines) console.log(fmt(line));
      console.log(`JWKS fetches during the whole run: ${result.jwksFetches} (SDK + raw remote verifiers, one each expected)`);
    }
    return result;
  } finally {
    await server?.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const json = process.argv.includes('--json');
  const result = await run({ rounds: arg('rounds', 12), ms: arg('ms', 250), print: !json });
  if (json) console.log(JSON.stringify(result, null, 2));
}
