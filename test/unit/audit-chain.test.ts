import { describe, expect, it } from 'vitest';

import { canonicalJson } from '../../src/audit/canonical-json.js';
import { computeAuditEntryHash, verifyAuditChain } from '../../src/audit/index.js';

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
    expect((await verifyAuditChain([null, 42] as unknown[])).firstBroken?.reason).toBe('unverifiable');
  });

  it('metadata is hashed canonically, whatever the key order it arrives in', async () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"x":2,"y":1}]},"b":1}');
    const reordered = { ...FIRST, metadata: { z: 1, a: 2 } };
    const sameButSorted = { ...FIRST, metadata: { a: 2, z: 1 } };
    expect(await computeAuditEntryHash(reordered)).toBe(await computeAuditEntryHash(sameButSorted));
  });
});
