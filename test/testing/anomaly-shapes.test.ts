import { describe, expect, it } from 'vitest';

import { expectAllValid, grantFor, harness } from './support.js';

describe('anomaly detection answers in the real shapes', () => {
  it('new_principal carries only windowHours; rate_spike carries count, windowHours and threshold; reads return metadata as JSON strings', async () => {
    const h = harness({ rateLimits: false, clock: { start: '2026-06-01T12:00:00.000Z' } });
    const grant = await grantFor(h);
    for (let i = 0; i < 51; i++) {
      await h.call('POST', '/v1/audit/log', { body: { agentId: grant.agentId, agentDid: grant.agentDid, grantId: grant.grantId, principalId: 'user_alice', action: 'calendar.read' } });
    }
    const detected = await h.call('POST', '/v1/anomalies/detect');
    const byType = Object.fromEntries(detected.body.anomalies.map((a: { type: string }) => [a.type, a]));
    expect(byType['new_principal']).toMatchObject({ principalId: 'user_alice', metadata: { windowHours: 24 }, description: `Agent ${grant.agentId} received a grant from previously-unseen principal user_alice.` });
    expect(Object.keys(byType['new_principal'].metadata)).toEqual(['windowHours']);
    expect(byType['rate_spike']).toMatchObject({ severity: 'high', principalId: null, metadata: { count: 51, windowHours: 1, threshold: 50 } });
    const listed = await h.call('GET', '/v1/anomalies');
    expect(listed.body.anomalies.map((a: { metadata: string }) => typeof a.metadata)).toEqual(['string', 'string']);
    expectAllValid(h.checked);
  });
});
