#!/usr/bin/env node
// Tool-call enforcement against raw jose: `enforcer.check()` (verify the grant token, then decide the
// call from its scopes and a manifest) against `jose.jwtVerify` with the same key, which verifies
// only. Pairs run in interleaved rounds (bench/lib.mjs); the reported ratio is the median of the
// per-round ratios, so drift between rounds cancels out.
//
//   node bench/enforce.bench.mjs [--rounds 12] [--ms 250] [--json]
//
// Rows: the same token every time (the verified-token cache answers after the first call), 256
// distinct tokens (each verified once, then cached), and 256 distinct tokens with the cache off
// (every call verifies: the cost of deciding on top of verifying).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { arg, bundleEntry, isMain, machine, measurePairs, printTable, root } from './lib.mjs';

export const TARGETS = { repeated: 10, distinct: 0.95 };

/**
 * Runs the benchmark and returns `{ machine, rounds, msPerSample, rows }`; each row has `target`
 * (a minimum SDK/raw ratio) where one applies, and `met`.
 */
export async function run({ rounds = 12, ms = 250, print = true } = {}) {
  const outdir = path.join(root, '.tmp', `bench-enforce-${process.pid}`);
  try {
    const { createEnforcer } = await import(pathToFileURL(await bundleEntry('src/enforce/index.ts', outdir)).href);

    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = 'grantex-bench';
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig', kid }] };
    const issuer = 'https://grantex.bench';
    const iat = Math.floor(Date.now() / 1000);
    const mint = (i) =>
      new SignJWT({
        agt: 'did:grantex:ag_01BENCH', dev: 'dev_01BENCH', scp: ['tool:github:write', 'tool:stripe:write:payments:capped:500', 'calendar:read'],
        grnt: `grnt_01BENCH${i}`, sub: 'user_bench', jti: `tok_01BENCH${i}`, iat, exp: iat + 3600,
      }).setIssuer(issuer).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    const tokens = await Promise.all(Array.from({ length: 256 }, (_, i) => mint(i)));
    const same = tokens[0];
    const distinct = (i) => tokens[i & 255];

    const manifests = [{ connector: 'github', tools: { create_issue: 'write', list_repos: 'read' } }];
    const cached = createEnforcer({ jwks, issuer, developerId: 'dev_01BENCH', manifests });
    const uncached = createEnforcer({ jwks, issuer, developerId: 'dev_01BENCH', manifests, cache: false });
    const raw = createLocalJWKSet(jwks);
    const rawOptions = { issuer, algorithms: ['RS256'] };
    const call = (grantToken) => ({ grantToken, connector: 'github', tool: 'create_issue' });

    // Sanity: every variant accepts every token before anything is timed.
    for (const token of tokens) {
      for (const enforcer of [cached, uncached]) {
        const decision = await enforcer.check(call(token));
        if (!decision.allowed) throw new Error(`bench set-up: ${decision.code} ${decision.message}`);
      }
      await jwtVerify(token, raw, rawOptions);
    }

    const measured = await measurePairs(
      [
        { name: 'check(), same token', sdk: () => cached.check(call(same)), raw: () => jwtVerify(same, raw, rawOptions) },
        { name: 'check(), 256 distinct tokens', sdk: (i) => cached.check(call(distinct(i))), raw: (i) => jwtVerify(distinct(i), raw, rawOptions) },
        { name: 'check(), 256 distinct tokens, cache off', sdk: (i) => uncached.check(call(distinct(i))), raw: (i) => jwtVerify(distinct(i), raw, rawOptions) },
      ],
      { rounds, ms },
    );
    const targetOf = { 'check(), same token': TARGETS.repeated, 'check(), 256 distinct tokens': TARGETS.distinct };
    const rows = measured.map((row) => {
      const target = targetOf[row.name];
      return { ...row, target, met: target === undefined ? undefined : row.ratioMedianOfRounds >= target };
    });
    const result = { machine: machine(), rounds, msPerSample: ms, rows };
    if (print) {
      const m = result.machine;
      console.log(`machine: ${m.cpu} (${m.cores} cores), ${m.os}; Node ${m.node}; ${rounds} rounds x ${ms} ms per side, interleaved`);
      printTable(
        ['case', 'check() ops/s', 'jose ops/s', 'ratio', 'median of round ratios', 'target', 'status'],
        rows.map((r) => [r.name, r.sdkOpsPerSec, r.rawOpsPerSec, r.ratio.toFixed(3), r.ratioMedianOfRounds.toFixed(3), r.target === undefined ? '' : `≥ ${r.target}`, r.met === undefined ? '' : r.met ? 'met' : 'MISSED']),
      );
    }
    return result;
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const json = process.argv.includes('--json');
  const result = await run({ rounds: arg('rounds', 12), ms: arg('ms', 250), print: !json });
  if (json) console.log(JSON.stringify(result, null, 2));
}
