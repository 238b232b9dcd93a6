import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

import { canonicalJson } from '../../src/audit/canonical-json.js';
import { computeAuditEntryHash, verifyAuditChain } from '../../src/audit/index.js';
import { GrantexError, GrantexInvalidArgumentError } from '../../src/errors.js';

// The two entries recorded from a real server (wire-flow.md, "Write audit log entry" and
// "Write second audit entry"): a valid two-link chain.
const FIRST = {
  entryId: 'alog_01M81NX5RQ3QHVN7JFEE4WNY71',
  agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  agentDid: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  grantId: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R',
  principalId: 'user_live_alice',
  developerId: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y',
  action: 'calendar.read',
  metadata: { eventCount: 3 },
  hash: 'c772cefaf8da24dd35a357ae509ee24785c0c683f9a7bf8dd9fbcf5d984081bb',
  prevHash: null,
  timestamp: '2026-11-22T13:07:40.439Z',
  status: 'success',
};
const SECOND = {
  ...FIRST,
  entryId: 'alog_01M81NX5SRFYF6HT04DEDQ6FS5',
  action: 'calendar.write',
  metadata: {},
  hash: '0b45969ecedfafc404c949b4b27251473c4c364dac5ceba2db8e53757d90c384',
  prevHash: 'c772cefaf8da24dd35a357ae509ee24785c0c683f9a7bf8dd9fbcf5d984081bb',
  timestamp: '2026-11-22T13:07:40.472Z',
  status: 'failure',
};

describe('verifyAuditChain', () => {
  it('recomputes the real server hashes', async () => {
    expect(await computeAuditEntryHash(FIRST)).toBe(FIRST.hash);
    expect(await computeAuditEntryHash(SECOND)).toBe(SECOND.hash);
  });

  it('accepts the recorded two-link chain, from genesis', async () => {
    expect(await verifyAuditChain([FIRST, SECOND], { fromGenesis: true })).toEqual({ valid: true, checkedEntries: 2, firstBroken: null });
  });

  it.each([
    ['action', 'calendar.delete'],
    ['principalId', 'user_mallory'],
    ['status', 'success'],
    ['timestamp', '2026-11-22T13:07:40.473Z'],
    ['metadata', { eventCount: 4 }],
  ])('changing %s of an entry breaks its content', async (field, value) => {
    const report = await verifyAuditChain([FIRST, { ...SECOND, [field]: value }]);
    expect(report).toEqual({ valid: false, checkedEntries: 1, firstBroken: { index: 1, entryId: SECOND.entryId, reason: 'content' } });
  });

  it('a removed entry breaks the link', async () => {
    const third = { ...SECOND, entryId: 'alog_3', prevHash: SECOND.hash };
    third.hash = (await computeAuditEntryHash(third))!;
    const report = await verifyAuditChain([FIRST, third]);
    expect(report.firstBroken).toEqual({ index: 1, entryId: 'alog_3', reason: 'link' });
    expect(await verifyAuditChain([FIRST, third], { checkLinks: false })).toMatchObject({ valid: true });
  });

  it('an entry from an older layout is unverifiable, not a crash', async () => {
    const { status: _status, ...older } = FIRST;
    expect((await verifyAuditChain([older as never])).firstBroken).toEqual({ index: 0, entryId: FIRST.entryId, reason: 'unverifiable' });
    expect((await verifyAuditChain([FIRST, { ...SECOND, metadata: 'text' }])).firstBroken).toEqual({ index: 1, entryId: SECOND.entryId, reason: 'unverifiable' });
  });

  it('metadata JSON cannot hold (a cycle, a bigint) makes the entry unverifiable, not a crash', async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    for (const metadata of [cyclic, { big: 1n }, { list: [1, [2, 10n]] }]) {
      expect(await computeAuditEntryHash({ ...FIRST, metadata })).toBeUndefined();
      expect((await verifyAuditChain([{ ...FIRST, metadata }])).firstBroken).toEqual({ index: 0, entryId: FIRST.entryId, reason: 'unverifiable' });
    }
  });

  it('metadata is hashed canonically, whatever the key order it arrives in', async () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"x":2,"y":1}]},"b":1}');
    const reordered = { ...FIRST, metadata: { z: 1, a: 2 } };
    const sameButSorted = { ...FIRST, metadata: { a: 2, z: 1 } };
    expect(await computeAuditEntryHash(reordered)).toBe(await computeAuditEntryHash(sameButSorted));
  });
});

/** A wrong argument: a typed error with a code, on every path, never a raw TypeError. */
async function argumentError(run: () => Promise<unknown>): Promise<GrantexInvalidArgumentError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GrantexInvalidArgumentError);
  expect(error).toBeInstanceOf(GrantexError);
  expect((error as GrantexError).code).toBe('INVALID_ARGUMENT');
  return error as GrantexInvalidArgumentError;
}

describe('verifyAuditChain with something that is not a list of entries', () => {
  it.each([
    ['null', null, /got null/],
    ['undefined', undefined, /got undefined/],
    ['a string', 'alog_1', /got string/],
    ['the page instead of its entries', { entries: [FIRST, SECOND] }, /got object/],
    ['an entry instead of a list', FIRST, /got object/],
  ])('rejects %s with INVALID_ARGUMENT', async (_, entries, message) => {
    const error = await argumentError(() => verifyAuditChain(entries as never));
    expect(error.message).toMatch(message);
  });

  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'alog_1'],
    ['an array', [FIRST]],
    ['undefined (a hole)', undefined],
  ])('rejects an element that is %s, naming its index', async (_, element) => {
    const error = await argumentError(() => verifyAuditChain([FIRST, SECOND, element] as unknown[]));
    expect(error.message).toContain('entries[2]');
    // Even when an earlier entry would already have failed verification.
    await argumentError(() => verifyAuditChain([{ ...FIRST, action: 'x' }, element] as unknown[]));
  });

  it('rejects options that are not an object', async () => {
    await argumentError(() => verifyAuditChain([FIRST], null as never));
    await argumentError(() => verifyAuditChain([FIRST], 'fromGenesis' as never));
  });

  it('still accepts an empty list, and entries from another realm', async () => {
    expect(await verifyAuditChain([])).toEqual({ valid: true, checkedEntries: 0, firstBroken: null });
    const foreign = vm.runInNewContext(`[${JSON.stringify(FIRST)}, ${JSON.stringify(SECOND)}]`) as unknown[];
    expect(foreign instanceof Array).toBe(false);
    expect(await verifyAuditChain(foreign, { fromGenesis: true })).toMatchObject({ valid: true });
  });
});

/** The recursive serialisation the SDK used before: the reference for ordinary metadata. */
function recursiveCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : recursiveCanonicalJson(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((key) => `${JSON.stringify(key)}:${recursiveCanonicalJson(record[key])}`).join(',')}}`;
}

/** The hash input of an entry, written out by the rule in audit-hash.md, hashed with node:crypto. */
function independentHash(entry: Omit<typeof FIRST, 'hash' | 'metadata'> & { hash?: string }, canonicalMetadata: string): string {
  const text =
    `{"id":${JSON.stringify(entry.entryId)},"agentId":${JSON.stringify(entry.agentId)},"agentDid":${JSON.stringify(entry.agentDid)}` +
    `,"grantId":${JSON.stringify(entry.grantId)},"principalId":${JSON.stringify(entry.principalId)}` +
    `,"developerId":${JSON.stringify(entry.developerId)},"action":${JSON.stringify(entry.action)}` +
    `,"metadata":${canonicalMetadata},"timestamp":${JSON.stringify(entry.timestamp)}` +
    `,"prevHash":${JSON.stringify(entry.prevHash)},"status":${JSON.stringify(entry.status)}}`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

describe('canonical JSON without recursion', () => {
  it('writes ordinary metadata exactly as the recursive form did', () => {
    const samples: unknown[] = [
      {},
      [],
      { eventCount: 3 },
      { b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } },
      { 'é': 1, e: 2, E: 3, '\u{1F600}': 4, '\uFFFF': 5, '': 6, '10': 7, '9': 8, ' ': 9 },
      { text: 'quote " backslash \\ newline \n tab \t nul \u0000 lone \uD800 emoji \u{1F600}' },
      { numbers: [0, -0, 1.5, -1e-7, 1e21, 2 ** 53, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY] },
      { flags: [true, false, null], empty: { inner: [] }, nested: [[[]], [{}], [[{ z: [null] }]]] },
      { skipped: undefined, list: [undefined, 1, undefined] },
      { shared: [{ k: 1 }, { k: 1 }] },
      JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}'),
      Object.assign(Object.create(null) as object, { z: 1, a: 2 }),
      'a string',
      42,
      null,
    ];
    const shared = { k: [1] };
    samples.push({ twice: [shared, shared], again: shared });
    for (const sample of samples) expect(canonicalJson(sample), JSON.stringify(sample)).toBe(recursiveCanonicalJson(sample));
  });

  it('keeps the recorded entries verifying', async () => {
    expect(await computeAuditEntryHash(FIRST)).toBe(independentHash(FIRST, '{"eventCount":3}'));
    expect(independentHash(FIRST, '{"eventCount":3}')).toBe(FIRST.hash);
    expect(await verifyAuditChain([FIRST, SECOND], { fromGenesis: true })).toMatchObject({ valid: true });
  });

  it.each([5_000, 100_000])('serialises and verifies metadata nested %i levels deep', async (depth) => {
    // Objects and arrays alternating, keys out of order at every level.
    let metadata: unknown = { leaf: true };
    for (let i = 0; i < depth; i++) metadata = i % 2 ? { z: 0, a: metadata } : [metadata, i];
    const expected = canonicalByHand(depth);
    expect(canonicalJson(metadata)).toBe(expected);
    // A few bytes per level: 5,000 levels are tens of KB, far below the server's 1 MiB limit.
    if (depth === 5_000) expect(expected.length).toBeLessThan(64 * 1024);

    const { hash: _hash, metadata: _metadata, ...fields } = FIRST;
    const entry = { ...fields, metadata, hash: independentHash(fields, expected) };
    expect(await computeAuditEntryHash(entry)).toBe(entry.hash);
    expect(await verifyAuditChain([entry])).toEqual({ valid: true, checkedEntries: 1, firstBroken: null });
    expect((await verifyAuditChain([{ ...entry, hash: FIRST.hash }])).firstBroken?.reason).toBe('content');
    // Hundreds of thousands of nested values are serialised and hashed three times: seconds on a
    // loaded CI machine. The bound only catches a hang, never a slow run.
  }, 120_000);

  it('refuses a cycle with a typed error instead of looping, and allows the same value twice', () => {
    const cyclic: unknown[] = [];
    cyclic.push({ list: cyclic });
    expect(() => canonicalJson(cyclic)).toThrow(GrantexInvalidArgumentError);
    expect(() => canonicalJson({ n: 1n })).toThrow(GrantexInvalidArgumentError);
    const leaf = { b: 2, a: 1 };
    expect(canonicalJson({ x: leaf, y: [leaf, leaf] })).toBe('{"x":{"a":1,"b":2},"y":[{"a":1,"b":2},{"a":1,"b":2}]}');
  });
});

/** The expected canonical text of the alternating nesting above, built from the outside in. */
function canonicalByHand(depth: number): string {
  const opens: string[] = [];
  const closes: string[] = [];
  for (let i = depth - 1; i >= 0; i--) {
    if (i % 2) {
      opens.push('{"a":');
      closes.push(',"z":0}');
    } else {
      opens.push('[');
      closes.push(`,${i}]`);
    }
  }
  return `${opens.join('')}{"leaf":true}${closes.reverse().join('')}`;
}
