#!/usr/bin/env node
// Live revocation (`revocation: { mode: 'events' }`) against the local Grantex (`@grantex/sdk/testing`)
// served on loopback, whose own state changes publish the live events:
//
// - revoke-to-deny: a grant is revoked with `DELETE /v1/grants/{id}`; from the moment that call
//   returns, `check()` is called (yielding to the event loop between calls) until it denies with
//   TOKEN_REVOKED. Over `--revocations` grants (default 100): p50, p99, max, and how many denials came
//   from the feed rather than from an online re-check. Target: p99 < 50 ms.
// - network requests (online checks and feed connections, counted at `fetch`) during 10,000
//   `check()` calls of 100 tokens the enforcer has already seen, in 'events' mode. Target: 0.
// - `check()` with a repeated token, 'events' mode against 'offline' mode, in interleaved rounds
//   (bench/lib.mjs). maxStaleness is 60 s here so that no online re-check of the token falls into
//   the timed window (with the default 5 s, one ~2 ms round trip every 5 s). Target: ≥ 0.9.
//
//   node bench/revocation.bench.mjs [--revocations 100] [--rounds 12] [--ms 250] [--json]
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadTestingFromSource } from '../scripts/test-server.mjs';
import { arg, bundleEntry, isMain, machine, measurePairs, median, printTable, root } from './lib.mjs';

export const TARGETS = { p99Ms: 50, requests: 0, ratio: 0.9 };

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const turn = () => new Promise((resolve) => setImmediate(resolve));

export async function run({ revocations = 100, rounds = 12, ms = 250, print = true } = {}) {
  const outdir = path.join(root, '.tmp', `bench-revocation-${process.pid}`);
  const { createTestServer } = await loadTestingFromSource();
  const server = createTestServer({ eventKeepaliveInterval: 1_000, rateLimits: false });
  const url = await server.listen(0);
  const enforcers = [];
  // Every request the enforcers make goes through the global fetch: count the ones they make.
  const realFetch = globalThis.fetch;
  let requests = 0;
  globalThis.fetch = (input, init) => {
    const href = String(input instanceof Request ? input.url : input);
    if (href.includes('/v1/tokens/verify') || href.includes('/v1/events/stream')) requests++;
    return realFetch(input, init);
  };
  try {
    const { createEnforcer } = await import(pathToFileURL(await bundleEntry('src/enforce/index.ts', path.join(outdir, 'enforce'))).href);
    const { Grantex } = await import(pathToFileURL(await bundleEntry('src/index.ts', path.join(outdir, 'client'))).href);
    const client = new Grantex({ apiKey: server.sandboxApiKey, baseUrl: url, maxRetries: 0, fetch: realFetch });
    const agent = await client.agents.register({ name: 'bench-revocation', scopes: ['tool:github:write'] });
    const grant = async () => {
      const request = await client.authorize({ agentId: agent.agentId, userId: 'user_bench', scopes: ['tool:github:write'] });
      return client.tokens.exchange({ code: request.code, agentId: agent.agentId });
    };
    const base = { jwks: await server.jwks(), issuer: server.issuer, developerId: server.sandboxDeveloperId, manifests: [{ connector: 'github', tools: { create_issue: 'write' } }] };
    const make = (revocation) => {
      const enforcer = createEnforcer({ ...base, ...(revocation && { revocation: { apiKey: server.sandboxApiKey, baseUrl: url, ...revocation } }) });
      enforcers.push(enforcer);
      return enforcer;
    };
    const call = (grantToken) => ({ grantToken, connector: 'github', tool: 'create_issue' });
    const expectCode = async (enforcer, token, code) => {
      const decision = await enforcer.check(call(token));
      if (decision.code !== code) throw new Error(`bench set-up: expected ${code}, got ${decision.code} ${decision.message}`);
    };

    // 1. Revoke-to-deny latency.
    const live = make({ mode: 'events' });
    const warm = await grant();
    await expectCode(live, warm.grantToken, 'ALLOWED');
    while (server.eventConnections < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    // The feed's first keepalive (its headers) arrives within the keepalive interval.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const latencies = [];
    let fromFeed = 0;
    for (let i = 0; i < revocations; i++) {
      const { grantToken, grantId } = await grant();
      await expectCode(live, grantToken, 'ALLOWED');
      await client.grants.revoke(grantId);
      const returned = performance.now();
      let decision = await live.check(call(grantToken));
      while (decision.allowed) {
        await turn();
        decision = await live.check(call(grantToken));
      }
      latencies.push(performance.now() - returned);
      if (decision.code !== 'TOKEN_REVOKED') throw new Error(`denied with ${decision.code}: ${decision.message}`);
      if (decision.message === `Grant ${grantId} was revoked`) fromFeed++;
    }

    // 2. Requests during 10,000 checks of tokens already seen.
    const seen = await Promise.all(Array.from({ length: 100 }, () => grant()));
    for (const { grantToken } of seen) await expectCode(live, grantToken, 'ALLOWED');
    const before = requests;
    for (let i = 0; i < 10_000; i++) {
      const decision = await live.check(call(seen[i % seen.length].grantToken));
      if (!decision.allowed) throw new Error(`check ${i}: ${decision.code}`);
    }
    const requestsDuring = requests - before;

    // 3. check() with a repeated token: 'events' against 'offline'.
    const steady = make({ mode: 'events', maxStaleness: 60_000 });
    const offline = make(undefined);
    const same = (await grant()).grantToken;
    await expectCode(steady, same, 'ALLOWED');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expectCode(steady, same, 'ALLOWED');
    await expectCode(offline, same, 'ALLOWED');
    const beforePairs = requests;
    const [pair] = await measurePairs([{ name: "check(), same token: 'events' vs 'offline'", sdk: () => steady.check(call(same)), raw: () => offline.check(call(same)) }], { rounds, ms });
    const requestsDuringPairs = requests - beforePairs;
    client.close();

    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const rows = [
      { name: `revoke-to-deny, ${revocations} revocations: p50`, value: p50, unit: 'ms' },
      { name: `revoke-to-deny, ${revocations} revocations: p99`, value: p99, unit: 'ms', target: `< ${TARGETS.p99Ms} ms`, met: p99 < TARGETS.p99Ms },
      { name: `revoke-to-deny: max (median ${median(latencies).toFixed(2)} ms)`, value: Math.max(...latencies), unit: 'ms' },
      { name: 'denials that came from the feed (the rest: online re-check)', value: fromFeed, unit: `of ${revocations}` },
      { name: "requests during 10,000 check() of seen tokens, 'events'", value: requestsDuring, unit: 'requests', target: `= ${TARGETS.requests}`, met: requestsDuring === TARGETS.requests },
      {
        name: pair.name,
        value: pair.ratioMedianOfRounds,
        unit: 'ratio',
        sdkOpsPerSec: pair.sdkOpsPerSec,
        rawOpsPerSec: pair.rawOpsPerSec,
        requests: requestsDuringPairs,
        target: `≥ ${TARGETS.ratio}`,
        met: pair.ratioMedianOfRounds >= TARGETS.ratio,
      },
    ];
    const result = { machine: machine(), revocations, rounds, msPerSample: ms, rows };
    if (print) {
      const m = result.machine;
      console.log(`machine: ${m.cpu} (${m.cores} cores), ${m.os}; Node ${m.node}; local Grantex on ${url}`);
      printTable(
        ['case', 'value', 'unit', 'target', 'status'],
        rows.map((r) => [r.name, r.unit === 'ms' ? r.value.toFixed(2) : r.unit === 'ratio' ? `${r.value.toFixed(3)} (${r.sdkOpsPerSec} vs ${r.rawOpsPerSec} ops/s)` : String(r.value), r.unit, r.target ?? '', r.met === undefined ? '' : r.met ? 'met' : 'MISSED']),
      );
    }
    return result;
  } finally {
    globalThis.fetch = realFetch;
    await Promise.all(enforcers.map((enforcer) => enforcer.close()));
    await server.close();
    await rm(outdir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const json = process.argv.includes('--json');
  const result = await run({ revocations: arg('revocations', 100), rounds: arg('rounds', 12), ms: arg('ms', 250), print: !json });
  if (json) console.log(JSON.stringify(result, null, 2));
}
