import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { createTestServer } from '../../src/testing/index.js';
import { differences, recordOperation, shapeOf, transcriptOperations, type TranscriptEntry } from './differential.js';

/**
 * The differential test: every contract call, run against a fresh test server, must answer like
 * the real server's transcript (fixtures/real-transcript.json, derived row by row in
 * fixtures/derive-real-transcript.mjs) in status class and body shape.
 */
const real = JSON.parse(readFileSync(new URL('./fixtures/real-transcript.json', import.meta.url), 'utf8')) as (TranscriptEntry & { source: string })[];
const realByCall = new Map(real.map((entry) => [entry.call, entry]));

/**
 * Operations allowed to answer differently, each with its reason. Empty: every operation agrees.
 * Kept exact, so an operation that starts to differ fails here by name.
 */
const KNOWN_DIFFERENCES = new Set<string>([]);

describe('the test server against the real transcript', () => {
  it('the transcript covers every request-response operation, and nothing else', () => {
    expect(real.map((entry) => entry.call).sort()).toEqual(transcriptOperations.map((op) => op.call).sort());
  });

  it('every operation answers in the real status class and shape', async () => {
    const differing: Record<string, string[]> = {};
    for (const op of transcriptOperations) {
      const local = await recordOperation(createTestServer(), op);
      const diff = differences(realByCall.get(op.call)!, local);
      if (diff.length > 0) differing[op.call] = diff;
    }
    const count = Object.keys(differing).length;
    console.log(`differential: ${count} of ${transcriptOperations.length} operations differ from the real transcript`);
    for (const [call, diff] of Object.entries(differing)) console.log(`  ${call}: ${diff.join('; ')}`);
    expect(new Set(Object.keys(differing))).toEqual(KNOWN_DIFFERENCES);
  }, 120_000);
});

describe('transcript comparison', () => {
  const base: TranscriptEntry = { call: 'x.get', status: 200, shape: { id: 'value', revokedAt: 'null' } };

  it('agrees on the same status class and shape', () => {
    expect(differences(base, { ...base, status: 201 })).toEqual([]);
  });

  it('notices a different status class, a missing or extra field and null against a value', () => {
    expect(differences(base, { ...base, status: 404, shape: {} })).toEqual(['status 200 (real) vs 404']);
    expect(differences(base, { ...base, shape: { id: 'value' } })).toEqual(['revokedAt missing']);
    expect(differences(base, { ...base, shape: { ...base.shape, extra: 'value' } })).toEqual(['extra extra']);
    expect(differences(base, { ...base, shape: { id: 'value', revokedAt: 'value' } })).toEqual(['revokedAt is value, real null']);
  });

  it('describes the first item of top-level lists and of a bare array', () => {
    expect(shapeOf({ items: [{ a: 1, b: null }], total: 1 })).toEqual({ items: 'value', 'items[].a': 'value', 'items[].b': 'null', total: 'value' });
    expect(shapeOf([{ id: 'x' }])).toEqual({ '[].id': 'value' });
    expect(shapeOf({ items: [] })).toEqual({ items: 'value' });
  });
});
