import { afterEach, describe, expect, it } from 'vitest';

import { expectAllValid, grantFor, harness, type Harness } from './support.js';

let h: Harness;
afterEach(() => expectAllValid(h.checked));

const notice = {
  noticeId: 'calendar-notice',
  version: '1',
  title: 'How we use your calendar',
  content: 'We read your calendar.',
  purposes: [{ code: 'scheduling', description: 'Book meetings' }],
};

async function recordFor(h: Harness, principalId = 'user_alice') {
  const grant = await grantFor(h, { principalId });
  await h.call('POST', '/v1/dpdp/consent-notices', { body: notice });
  const created = await h.call('POST', '/v1/dpdp/consent-records', {
    body: { grantId: grant.grantId, dataPrincipalId: principalId, purposes: notice.purposes, consentNoticeId: 'calendar-notice', processingExpiresAt: '2030-01-01T00:00:00.000Z' },
  });
  expect(created.status).toBe(201);
  return { grant, record: created.body };
}

describe('DPDP consent notices and records', () => {
  it('a repeated notice version is 409; a new version is accepted', async () => {
    h = harness();
    expect((await h.call('POST', '/v1/dpdp/consent-notices', { body: notice })).status).toBe(201);
    const again = await h.call('POST', '/v1/dpdp/consent-notices', { body: notice });
    expect([again.status, again.body.code]).toEqual([409, 'CONFLICT']);
    expect((await h.call('POST', '/v1/dpdp/consent-notices', { body: { ...notice, version: '2' } })).status).toBe(201);
  });

  it('a record is tied to a grant of the caller and a known notice, and reads count themselves', async () => {
    h = harness();
    const { grant, record } = await recordFor(h);
    expect(record).toMatchObject({ grantId: grant.grantId, dataPrincipalId: 'user_alice', status: 'active', retentionUntil: '2030-01-31T00:00:00.000Z', consentProof: { type: 'none' } });

    const first = await h.call('GET', `/v1/dpdp/consent-records/${record.recordId}`);
    expect(first.body).toMatchObject({ recordId: record.recordId, accessCount: 1, lastAccessedAt: expect.any(String), withdrawnAt: null, withdrawnReason: null, scopes: grant.scopes });
    expect(JSON.parse(first.body.purposes)).toEqual(notice.purposes);
    expect((await h.call('GET', `/v1/dpdp/consent-records/${record.recordId}`)).body.accessCount).toBe(2);

    const list = await h.call('GET', '/v1/dpdp/consent-records?dataPrincipalId=user_alice');
    expect(list.body.totalRecords).toBe(1);
    expect(list.body.records[0]).not.toHaveProperty('lastAccessedAt');
    expect(list.body.records[0]).not.toHaveProperty('withdrawnReason');
    const byPrincipal = await h.call('GET', '/v1/dpdp/data-principals/user_alice/records');
    expect(byPrincipal.body.records[0]).not.toHaveProperty('dataPrincipalId');
    expect(byPrincipal.body.records[0].accessCount).toBe(3);

    const bad = (body: Record<string, unknown>) => h.call('POST', '/v1/dpdp/consent-records', { body: { grantId: grant.grantId, dataPrincipalId: 'u', purposes: notice.purposes, consentNoticeId: 'calendar-notice', processingExpiresAt: '2030-01-01T00:00:00.000Z', ...body } });
    expect((await bad({ grantId: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R' })).body.code).toBe('INVALID_GRANT');
    expect((await bad({ consentNoticeId: 'other' })).body.code).toBe('INVALID_NOTICE');
    expect((await bad({ processingExpiresAt: undefined })).status).toBe(400);
  });

  it('withdrawing revokes the grant on request, and withdrawing twice is 409', async () => {
    h = harness();
    const { grant, record } = await recordFor(h);
    const withdraw = () => h.call('POST', `/v1/dpdp/consent-records/${record.recordId}/withdraw`, { body: { reason: 'closed account', revokeGrant: true, deleteProcessedData: true } });
    const first = await withdraw();
    expect(first.body).toEqual({ recordId: record.recordId, status: 'withdrawn', withdrawnAt: expect.any(String), grantRevoked: true, dataDeleted: true });
    expect((await h.call('GET', `/v1/grants/${grant.grantId}`)).body.status).toBe('revoked');
    const second = await withdraw();
    expect([second.status, second.body.code]).toEqual([409, 'ALREADY_WITHDRAWN']);
    expect((await h.call('GET', `/v1/dpdp/consent-records/${record.recordId}`)).body).toMatchObject({ status: 'withdrawn', withdrawnReason: 'closed account' });
    expect((await h.call('POST', `/v1/dpdp/consent-records/${record.recordId}/withdraw`, { body: {} })).status).toBe(400);
    expect((await h.call('POST', '/v1/dpdp/consent-records/crec_01M81QB1D0PEY8JS2F2MM9EK7K/withdraw', { body: { reason: 'x' } })).status).toBe(404);
  });

  it('erasure marks the principal\'s records erased and revokes their grants; a principal without records is 404', async () => {
    h = harness();
    const { grant, record } = await recordFor(h);
    const erased = await h.call('POST', '/v1/dpdp/data-principals/user_alice/erasure');
    expect(erased.status).toBe(201);
    expect(erased.body).toMatchObject({ requestId: expect.stringMatching(/^ER-\d{4}-[0-9A-Z]{26}$/), dataPrincipalId: 'user_alice', status: 'completed', recordsErased: 1, grantsRevoked: 1 });
    expect((await h.call('GET', `/v1/dpdp/consent-records/${record.recordId}`)).body.status).toBe('erased');
    expect((await h.call('GET', `/v1/grants/${grant.grantId}`)).body.status).toBe('revoked');
    expect((await h.call('POST', '/v1/dpdp/data-principals/user_bob/erasure')).status).toBe(404);
  });
});

describe('DPDP grievances and exports', () => {
  it('a grievance is filed (202) and read back with its evidence as a JSON string', async () => {
    h = harness();
    const filed = await h.call('POST', '/v1/dpdp/grievances', { body: { dataPrincipalId: 'user_alice', type: 'access', description: 'Show me my data', evidence: { ticket: 7 } } });
    expect(filed.status).toBe(202);
    expect(filed.body.referenceNumber).toMatch(/^GRV-\d{4}-[0-9A-Z]{26}$/);
    const read = await h.call('GET', `/v1/dpdp/grievances/${filed.body.grievanceId}`);
    expect(read.body).toMatchObject({ grievanceId: filed.body.grievanceId, recordId: null, status: 'submitted', resolvedAt: null, resolution: null, evidence: '{"ticket":7}' });
  });

  it('an export carries the consent records, action log and grievances of the range as snake_case rows', async () => {
    h = harness();
    const { record } = await recordFor(h);
    await h.call('POST', '/v1/dpdp/grievances', { body: { dataPrincipalId: 'user_alice', type: 'access', description: 'x' } });
    const now = h.server.clock.now().getTime();
    const range = { dateFrom: new Date(now - 60_000).toISOString(), dateTo: new Date(now + 60_000).toISOString() };
    const created = await h.call('POST', '/v1/dpdp/exports', { body: { type: 'dpdp-audit', ...range, dataPrincipalId: 'user_alice' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'dpdp-audit', format: 'json', recordCount: 2 });
    expect(created.body.data).toMatchObject({ exportType: 'dpdp-audit', dateRange: { from: range.dateFrom, to: range.dateTo }, auditLog: [] });
    expect(created.body.data.consentRecords[0]).toMatchObject({ id: record.recordId, data_principal_id: 'user_alice', consent_notice_id: 'calendar-notice', status: 'active' });
    expect(created.body.data.grievances[0]).toMatchObject({ data_principal_id: 'user_alice', type: 'access', reference_number: expect.any(String) });
    const read = await h.call('GET', `/v1/dpdp/exports/${created.body.exportId}`);
    expect(read.body).toMatchObject({ exportId: created.body.exportId, status: 'complete', recordCount: 2, dateFrom: range.dateFrom });
    expect(JSON.parse(read.body.data)).toEqual(created.body.data);
    const gdpr = await h.call('POST', '/v1/dpdp/exports', { body: { type: 'gdpr-article-15', ...range, includeActionLog: false } });
    expect(gdpr.body.data).not.toHaveProperty('grievances');
    expect(gdpr.body.data).not.toHaveProperty('auditLog');
    expect((await h.call('POST', '/v1/dpdp/exports', { body: { type: 'csv-dump', ...range } })).status).toBe(400);
  });
});
