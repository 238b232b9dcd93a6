import { afterEach, describe, expect, it } from 'vitest';

import { Grantex } from '../../src/index.js';
import { createSoftwareAuthenticator } from '../../src/testing/index.js';
import { expectAllValid, harness, type Harness } from './support.js';

let h: Harness;
afterEach(() => expectAllValid(h.checked));

/** A live developer that requires FIDO, a registered passkey for the principal and a pending request. */
async function fidoSetup(h: Harness) {
  const client = new Grantex({ apiKey: h.server.apiKey, baseUrl: h.server.url, fetch: h.fetch, maxRetries: 0 });
  const authenticator = createSoftwareAuthenticator({ origin: h.server.url });
  await client.updateMe({ fidoRequired: true });
  const options = await client.webauthn.registrationOptions({ principalId: 'user_alice' });
  const registered = await client.webauthn.verifyRegistration({ challengeId: options.challengeId, response: (await authenticator.register(options.publicKey)) as never });
  const agent = await client.agents.register({ name: 'agent', scopes: ['calendar:read'] });
  const request = await client.authorize({ agentId: agent.agentId, userId: 'user_alice', scopes: ['calendar:read'] });
  return { client, authenticator, registered, agent, request };
}

describe('WebAuthn with a software authenticator', () => {
  it('registration is verified and listed, with a null deviceName when none was given', async () => {
    h = harness();
    const { client, registered } = await fidoSetup(h);
    expect(registered).toMatchObject({ principalId: 'user_alice', deviceName: null, backedUp: false, transports: ['internal'] });
    const list = await client.webauthn.listCredentials({ principalId: 'user_alice' });
    expect(list.credentials).toEqual([{ ...registered, lastUsedAt: null }]);
    expect((await client.webauthn.listCredentials({ principalId: 'user_bob' })).credentials).toEqual([]);
    // The next registration excludes the credential already held.
    const again = await client.webauthn.registrationOptions({ principalId: 'user_alice' });
    expect(again.publicKey.excludeCredentials).toHaveLength(1);
  });

  it('an assertion marks the consent request verified, so approve goes ahead; each challenge works once', async () => {
    h = harness();
    const { client, authenticator, request } = await fidoSetup(h);
    const approve = () => h.call('POST', `/v1/consent/${request.authRequestId}/approve`, { key: null });
    const before = await approve();
    expect([before.status, before.body.code]).toEqual([403, 'FIDO_REQUIRED']);

    const options = await client.webauthn.assertionOptions({ authRequestId: request.authRequestId });
    const assertion = await authenticator.assert(options.publicKey);
    expect(await client.webauthn.verifyAssertion({ challengeId: options.challengeId, response: assertion as never })).toEqual({ verified: true });
    const replay = await h.call('POST', '/v1/webauthn/assert/verify', { key: null, body: { challengeId: options.challengeId, response: assertion } });
    expect(replay.status).toBe(400);

    const approved = await approve();
    expect(approved.status).toBe(200);
    expect((await client.webauthn.listCredentials({ principalId: 'user_alice' })).credentials[0]!.lastUsedAt).toEqual(expect.any(String));
  });

  it('a forged signature, another origin, a replayed counter and an expired challenge are refused', async () => {
    h = harness();
    const { client, authenticator, request } = await fidoSetup(h);
    const verify = (challengeId: string, response: unknown) => h.call('POST', '/v1/webauthn/assert/verify', { key: null, body: { challengeId, response } });

    let options = await client.webauthn.assertionOptions({ authRequestId: request.authRequestId });
    const genuine = await authenticator.assert(options.publicKey);
    const forged = { ...genuine, response: { ...genuine.response, signature: Buffer.from(genuine.response.signature, 'base64url').reverse().toString('base64url') } };
    expect((await verify(options.challengeId, forged)).body.message).toBe('Assertion verification failed');

    options = await client.webauthn.assertionOptions({ authRequestId: request.authRequestId });
    const elsewhere = createSoftwareAuthenticator({ origin: 'https://evil.example' });
    const stranger = await elsewhere.register({ challenge: 'x', rp: { id: new URL(h.server.url).hostname }, user: { id: 'dXNlcg' } });
    const strangerAssertion = await elsewhere.assert({ challenge: options.publicKey.challenge, rpId: new URL(h.server.url).hostname });
    expect((await verify(options.challengeId, { ...strangerAssertion, id: stranger.id })).status).toBe(400);

    // Two assertions signed in order but verified out of order: the second counter does not move forward.
    const first = await client.webauthn.assertionOptions({ authRequestId: request.authRequestId });
    const second = await client.webauthn.assertionOptions({ authRequestId: request.authRequestId });
    const earlier = await authenticator.assert(first.publicKey);
    const later = await authenticator.assert(second.publicKey);
    expect((await verify(second.challengeId, later)).status).toBe(200);
    expect((await verify(first.challengeId, earlier)).body.message).toBe('Authenticator counter did not increase');

    options = await client.webauthn.assertionOptions({ authRequestId: request.authRequestId });
    h.server.clock.advance('5m');
    expect((await verify(options.challengeId, await authenticator.assert(options.publicKey))).body.message).toBe('Invalid or expired challenge');
  });

  it('assertion options need a pending request, a developer that requires FIDO and a registered credential', async () => {
    h = harness();
    const client = new Grantex({ apiKey: h.server.apiKey, baseUrl: h.server.url, fetch: h.fetch, maxRetries: 0 });
    const agent = await client.agents.register({ name: 'agent', scopes: ['calendar:read'] });
    const request = await client.authorize({ agentId: agent.agentId, userId: 'user_carol', scopes: ['calendar:read'] });
    const options = (authRequestId: string) => h.call('POST', '/v1/webauthn/assert/options', { key: null, body: { authRequestId } });
    expect((await options('areq_01M81NX4QH2VGV9HDPMYMFWH4J')).status).toBe(404);
    expect((await options(request.authRequestId)).body.message).toBe('FIDO not required for this developer');
    await client.updateMe({ fidoRequired: true });
    expect((await options(request.authRequestId)).body.message).toBe('No FIDO credentials registered for this principal');
  });

  it('a registration against another challenge or with a bad attestation fails; deleting twice is 404', async () => {
    h = harness();
    const { client, authenticator, registered } = await fidoSetup(h);
    const options = await client.webauthn.registrationOptions({ principalId: 'user_alice' });
    const response = await authenticator.register({ ...options.publicKey, challenge: 'not-the-challenge' });
    const refused = await h.call('POST', '/v1/webauthn/register/verify', { body: { challengeId: options.challengeId, response } });
    expect([refused.status, refused.body.message]).toEqual([400, 'Registration verification failed']);
    const unknown = await h.call('POST', '/v1/webauthn/register/verify', { body: { challengeId: 'wac_01M81Q184CX86NST6B1T6A4M3J', response } });
    expect(unknown.body.message).toBe('Invalid or expired challenge');
    expect((await h.call('DELETE', `/v1/webauthn/credentials/${registered.id}`)).status).toBe(204);
    expect((await h.call('DELETE', `/v1/webauthn/credentials/${registered.id}`)).status).toBe(404);
  });
});
