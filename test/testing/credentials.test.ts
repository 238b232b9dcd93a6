import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';

import { decodeJwt, expectAllValid, harness, type Harness } from './support.js';

let h: Harness;
afterEach(() => expectAllValid(h.checked));

/** A sandbox grant exchanged with a credential format. */
async function exchange(h: Harness, credentialFormat?: string, scopes = ['calendar:read', 'payments:mpp:inference']) {
  const key = h.server.sandboxApiKey;
  const agent = await h.call('POST', '/v1/agents', { key, body: { name: 'agent', scopes } });
  const request = await h.call('POST', '/v1/authorize', { key, body: { agentId: agent.body.agentId, principalId: 'user_alice', scopes } });
  const token = await h.call('POST', '/v1/token', { key, body: { code: request.body.code, agentId: agent.body.agentId, ...(credentialFormat ? { credentialFormat } : {}) } });
  expect(token.status).toBe(201);
  return { key, agentId: agent.body.agentId as string, agentDid: agent.body.did as string, ...token.body };
}

/** The bit of a StatusList2021 credential at `index`. */
function bitAt(statusList: { credentialSubject: { encodedList: string } }, index: number): boolean {
  const bits = gunzipSync(Buffer.from(statusList.credentialSubject.encodedList, 'base64url'));
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

const tamper = (jwt: string) => {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  claims.vc.credentialSubject.scopes.push('admin:all');
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
};

describe('verifiable credentials of a grant', () => {
  it('the VC-JWT issued at exchange is the one listed and fetched, with a status entry that flips when the grant is revoked', async () => {
    h = harness();
    const grant = await exchange(h, 'vc-jwt');
    const { header, payload } = decodeJwt(grant.verifiableCredential);
    expect(header.typ).toBe('JWT');
    expect(payload.vc.credentialSubject).toMatchObject({ id: grant.agentDid, grantId: grant.grantId, principalId: 'user_alice' });
    const status = payload.vc.credentialStatus;
    expect(status).toMatchObject({ type: 'StatusList2021Entry', statusPurpose: 'revocation', statusListIndex: expect.stringMatching(/^\d+$/) });

    const list = await h.call('GET', `/v1/credentials?grantId=${grant.grantId}`, { key: grant.key });
    expect(list.body.credentials).toHaveLength(1);
    const [record] = list.body.credentials;
    expect(record).toMatchObject({ id: payload.jti, grantId: grant.grantId, credentialJwt: grant.verifiableCredential, format: 'vc-jwt', status: 'active', revokedAt: null });
    expect((await h.call('GET', `/v1/credentials/${payload.jti}`, { key: grant.key })).body).toEqual(record);
    // Another developer does not see it.
    expect((await h.call('GET', `/v1/credentials/${payload.jti}`)).status).toBe(404);

    const index = Number(status.statusListIndex);
    const listPath = new URL(status.statusListCredential).pathname;
    const before = await h.call('GET', listPath, { key: null });
    expect(before.body.id).toBe(status.statusListCredential);
    expect(bitAt(before.body, index)).toBe(false);

    expect((await h.call('POST', '/v1/credentials/verify', { key: null, body: { credential: grant.verifiableCredential } })).body).toMatchObject({ valid: true, vcId: payload.jti });
    expect((await h.call('DELETE', `/v1/grants/${grant.grantId}`, { key: grant.key })).status).toBe(204);

    expect(bitAt((await h.call('GET', listPath, { key: null })).body, index)).toBe(true);
    expect((await h.call('POST', '/v1/credentials/verify', { key: null, body: { credential: grant.verifiableCredential } })).body).toMatchObject({ valid: false, vcId: payload.jti, revoked: true });
    const revoked = await h.call('GET', `/v1/credentials/${payload.jti}`, { key: grant.key });
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    expect((await h.call('GET', `/v1/credentials?grantId=${grant.grantId}&status=active`, { key: grant.key })).body.credentials).toEqual([]);
  });

  it('a tampered VC, a VC of another server and an expired VC do not verify', async () => {
    h = harness();
    const grant = await exchange(h, 'both');
    const verify = (credential: string) => h.call('POST', '/v1/credentials/verify', { key: null, body: { credential } });
    expect((await verify(tamper(grant.verifiableCredential))).body).toEqual({ valid: false, error: expect.any(String) });
    const other = harness();
    const foreign = await exchange(other, 'vc-jwt');
    expect((await verify(foreign.verifiableCredential)).body.valid).toBe(false);
    h.server.clock.advance('25h');
    expect((await verify(grant.verifiableCredential)).body).toMatchObject({ valid: false, expired: true });
    expect((await h.call('POST', '/v1/credentials/verify', { key: null, body: {} })).status).toBe(400);
  });

  it('an unknown status list is 404', async () => {
    h = harness();
    expect((await h.call('GET', '/v1/credentials/status/vcsl_01M81PMFTC0FZYBW583TK6H1M9', { key: null })).status).toBe(404);
  });
});

describe('SD-JWT credentials', () => {
  it('exchange with sd-jwt returns an SD-JWT whose presentation discloses exactly the claims presented', async () => {
    h = harness();
    const grant = await exchange(h, 'sd-jwt');
    expect(grant.verifiableCredential).toBeUndefined();
    const parts = (grant.sdJwtCredential as string).split('~');
    expect(parts.at(-1)).toBe('');
    const { header, payload } = decodeJwt(parts[0]!);
    expect(header.typ).toBe('vc+sd-jwt');
    expect(payload).toMatchObject({ _sd_alg: 'sha-256', sub: grant.agentDid });
    const disclosures = parts.slice(1, -1);
    const named = (name: string) => disclosures.find((d) => JSON.parse(Buffer.from(d, 'base64url').toString())[1] === name)!;

    const present = (sdJwt: string) => h.call('POST', '/v1/credentials/present', { key: null, body: { sdJwt } });
    const some = await present(`${parts[0]}~${named('principalId')}~${named('grantId')}~`);
    expect(some.body).toEqual({ valid: true, vcId: payload.jti, disclosedClaims: { principalId: 'user_alice', grantId: grant.grantId } });
    expect((await present(`${parts[0]}~`)).body).toEqual({ valid: true, vcId: payload.jti, disclosedClaims: {} });

    // A disclosure the issuer did not sign is refused.
    const forged = Buffer.from(JSON.stringify(['c2FsdA', 'principalId', 'user_mallory'])).toString('base64url');
    expect((await present(`${parts[0]}~${forged}~`)).body).toMatchObject({ valid: false });
    // Revoking the grant revokes the SD-JWT.
    await h.call('DELETE', `/v1/grants/${grant.grantId}`, { key: grant.key });
    expect((await present(grant.sdJwtCredential)).body).toMatchObject({ valid: false, vcId: payload.jti });
  });
});

describe('agent passports', () => {
  const issue = (h: Harness, key: string, body: Record<string, unknown>) => h.call('POST', '/v1/passport/issue', { key, body });

  it('a passport is issued from a grant with the payment scope, listed, fetched, and revoked (get answers revoked)', async () => {
    h = harness();
    const grant = await exchange(h);
    const base = { agentId: grant.agentId, grantId: grant.grantId, allowedMPPCategories: ['inference'], maxTransactionAmount: { amount: 25, currency: 'USD' } };
    const issued = await issue(h, grant.key, base);
    expect(issued.status).toBe(201);
    const { passportId } = issued.body;
    expect(issued.body.credential.credentialSubject).toMatchObject({ grantId: grant.grantId, humanPrincipal: 'did:grantex:user_alice', paymentRails: ['tempo'] });
    expect(JSON.parse(Buffer.from(issued.body.encodedCredential, 'base64url').toString())).toEqual(issued.body.credential);

    const get = await h.call('GET', `/v1/passport/${passportId}`, { key: grant.key });
    expect(get.body).toMatchObject({ id: passportId, status: 'active' });
    expect((await h.call('GET', `/v1/passports?grantId=${grant.grantId}`, { key: grant.key })).body).toEqual([
      { passportId, agentId: grant.agentId, grantId: grant.grantId, status: 'active', expiresAt: issued.body.expiresAt, createdAt: expect.any(String) },
    ]);
    expect((await h.call('GET', `/v1/credentials/${encodeURIComponent(passportId)}`, { key: grant.key })).body).toMatchObject({ format: 'agent-passport', status: 'active' });

    const revoked = await h.call('POST', `/v1/passport/${passportId}/revoke`, { key: grant.key });
    expect(revoked.body).toEqual({ revoked: true, revokedAt: expect.any(String) });
    expect((await h.call('GET', `/v1/passport/${passportId}`, { key: grant.key })).body.status).toBe('revoked');
    expect((await h.call('POST', `/v1/passport/${passportId}/revoke`, { key: grant.key })).status).toBe(200);
    expect((await h.call('GET', `/v1/passports?status=active`, { key: grant.key })).body).toEqual([]);
    expect((await h.call('GET', `/v1/passport/urn:grantex:passport:01M81QKA2FVJQ1PEPJ1EKVQDSM`, { key: grant.key })).status).toBe(404);
  });

  it('an expired passport reads as expired', async () => {
    h = harness();
    const grant = await exchange(h);
    const issued = await issue(h, grant.key, { agentId: grant.agentId, grantId: grant.grantId, allowedMPPCategories: ['inference'], maxTransactionAmount: { amount: 1, currency: 'USD' }, expiresIn: '1h' });
    h.server.clock.advance('1h');
    expect((await h.call('GET', `/v1/passport/${issued.body.passportId}`, { key: grant.key })).body.status).toBe('expired');
  });

  it('refuses other agents, missing scopes, bad and too long lifetimes (720h is the limit)', async () => {
    h = harness();
    const grant = await exchange(h);
    const base = { agentId: grant.agentId, grantId: grant.grantId, allowedMPPCategories: ['inference'], maxTransactionAmount: { amount: 25, currency: 'USD' } };
    const code = async (body: Record<string, unknown>) => {
      const answer = await issue(h, grant.key, body);
      return [answer.status, answer.body.code];
    };
    expect(await code({ ...base, agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6' })).toEqual([400, 'INVALID_AGENT']);
    expect(await code({ ...base, grantId: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R' })).toEqual([400, 'INVALID_GRANT']);
    expect(await code({ ...base, allowedMPPCategories: ['data'] })).toEqual([400, 'SCOPE_INSUFFICIENT']);
    expect(await code({ ...base, allowedMPPCategories: ['jewels'] })).toEqual([400, 'BAD_REQUEST']);
    expect(await code({ ...base, expiresIn: 'soon' })).toEqual([400, 'INVALID_EXPIRY']);
    expect(await code({ ...base, expiresIn: '721h' })).toEqual([422, 'INVALID_EXPIRY']);
    expect((await issue(h, grant.key, { ...base, expiresIn: '720h' })).status).toBe(201);
    await h.call('DELETE', `/v1/grants/${grant.grantId}`, { key: grant.key });
    expect(await code(base)).toEqual([400, 'INVALID_GRANT']);
  });

  it('the amount may not exceed the positive remaining budget of the grant', async () => {
    h = harness();
    const grant = await exchange(h);
    await h.call('POST', '/v1/budget/allocate', { key: grant.key, body: { grantId: grant.grantId, initialBudget: 20 } });
    const base = { agentId: grant.agentId, grantId: grant.grantId, allowedMPPCategories: ['inference'] };
    expect((await issue(h, grant.key, { ...base, maxTransactionAmount: { amount: 20, currency: 'USD' } })).status).toBe(201);
    expect((await issue(h, grant.key, { ...base, maxTransactionAmount: { amount: 20.01, currency: 'USD' } })).body.code).toBe('AMOUNT_EXCEEDS_BUDGET');
  });
});
