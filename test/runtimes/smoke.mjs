// The shared smoke suite of the runtime matrix (scripts/runtime-matrix.mjs). Plain ESM with no
// imports of its own: each runtime's harness loads the published entries its own way (ESM import,
// CJS require, a bundler) and passes them in, so the same checks run everywhere.
//
//   runSmoke({ main, jwt, pkce, webhooks, errors, enforce, testing, vault }, input) → { ok, results: [{ name, ok, ms, error? }] }
//
// `input`: { runtime, apiBaseUrl (Prism mock), eventsBaseUrl (a one-event SSE feed), jwksUrl,
// issuer, token, toolToken and revokedToolToken (RS256 grant tokens signed by the runner; the feed
// reports the last one's grant as revoked), developerId, grantId, scopes }.

const API_KEY = 'gx_test_runtime_matrix_key_0000000000';
// RFC 7636 Appendix B.
const RFC7636_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC7636_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

class CheckError extends Error {}

function assert(condition, message) {
  if (!condition) throw new CheckError(message);
}

async function rejects(promise, check) {
  try {
    await promise;
  } catch (error) {
    check(error);
    return error;
  }
  throw new CheckError('expected a rejection, got a result');
}

const describe = (error) =>
  error && typeof error === 'object'
    ? `${error.constructor?.name ?? 'Error'}${error.code ? ` [${error.code}]` : ''}: ${error.message}`
    : String(error);

/** A token with one signature character changed (a middle one, so the decoded bytes change). */
function tamper(token) {
  const [header, payload, signature] = token.split('.');
  const i = Math.floor(signature.length / 2);
  const swapped = signature[i] === 'A' ? 'B' : 'A';
  return [header, payload, signature.slice(0, i) + swapped + signature.slice(i + 1)].join('.');
}

export async function runSmoke(sdk, input) {
  const { main, jwt, pkce, webhooks, errors, enforce, testing } = sdk;
  const checks = [];
  const check = (name, fn) => checks.push({ name, fn });

  check('entries export what they document', async () => {
    assert(typeof main.Grantex === 'function', 'main: Grantex');
    assert(typeof main.createGrantVerifier === 'function', 'main: createGrantVerifier (lazy)');
    assert(typeof jwt.createGrantVerifier === 'function' && typeof jwt.verifyGrantToken === 'function', 'jwt entry');
    assert(typeof pkce.generatePkce === 'function' && typeof pkce.computeCodeChallenge === 'function', 'pkce entry');
    assert(typeof webhooks.verifyWebhook === 'function' && typeof webhooks.constructWebhookEvent === 'function', 'webhooks entry');
    assert(typeof enforce.createEnforcer === 'function' && typeof enforce.defineManifest === 'function', 'enforce entry');
    assert(typeof testing.createTestServer === 'function', 'testing entry');
    // One error tree per module format: the subpaths share it with the main entry.
    assert(errors.NotFoundError === main.NotFoundError, 'errors entry and main entry share NotFoundError');
    assert(jwt.GrantTokenError === main.GrantTokenError, 'jwt entry and main entry share GrantTokenError');
  });

  let client;
  check('construct the client', async () => {
    client = new main.Grantex({ apiKey: API_KEY, baseUrl: input.apiBaseUrl, maxRetries: 0, dangerouslyAllowBrowser: true });
    assert(client instanceof main.Grantex, 'instanceof Grantex');
  });

  check('agents.list() against the mock', async () => {
    const list = await client.agents.list();
    assert(Array.isArray(list.agents), `agents.list() returned ${JSON.stringify(list).slice(0, 200)}`);
  });

  check('404 maps to NotFoundError', async () => {
    await rejects(client.agents.get('ag_x', { headers: { Prefer: 'code=404' } }), (error) => {
      assert(error instanceof main.NotFoundError, `expected NotFoundError, got ${describe(error)}`);
      assert(error instanceof errors.GrantexApiError && main.isGrantexError(error), 'is a GrantexApiError');
      assert(error.code === 'NOT_FOUND' && error.status === 404, `code ${error.code}, status ${error.status}`);
    });
  });

  check('a response missing a required field fails validation', async () => {
    const fetch = async () =>
      new Response(JSON.stringify({ agentId: 'ag_1', name: 'missing the rest' }), { status: 200, headers: { 'content-type': 'application/json' } });
    const offline = new main.Grantex({ apiKey: API_KEY, baseUrl: input.apiBaseUrl, maxRetries: 0, fetch, dangerouslyAllowBrowser: true });
    await rejects(offline.agents.get('ag_1'), (error) => {
      assert(error instanceof main.GrantexResponseValidationError, `expected GrantexResponseValidationError, got ${describe(error)}`);
      assert(error.code === 'RESPONSE_VALIDATION_FAILED', `code ${error.code}`);
    });
  });

  const checkGrant = (grant) => {
    assert(grant.verified === true, 'verified');
    assert(grant.grantId === input.grantId, `grantId ${grant.grantId}`);
    assert(JSON.stringify(grant.scopes) === JSON.stringify(input.scopes), `scopes ${grant.scopes}`);
    assert(grant.expiresAt instanceof Date && grant.expiresAt > new Date(), 'expiresAt');
  };

  check('verify a grant token against the JWKS (@grantex/sdk/jwt)', async () => {
    const verifier = jwt.createGrantVerifier({ jwksUri: input.jwksUrl, issuer: input.issuer, developerId: input.developerId });
    checkGrant(await verifier.verify(input.token, { requiredScopes: input.scopes.slice(0, 1) }));
    await rejects(verifier.verify(tamper(input.token)), (error) => {
      assert(error instanceof jwt.GrantTokenError, `expected GrantTokenError, got ${describe(error)}`);
      assert(error.code === 'TOKEN_SIGNATURE_INVALID', `code ${error.code}`);
    });
    await rejects(verifier.verify(input.token, { requiredScopes: ['not:granted'] }), (error) => {
      assert(error.code === 'TOKEN_SCOPES_MISSING', `expected TOKEN_SCOPES_MISSING, got ${describe(error)}`);
    });
  });

  check('verify a grant token through the main entry (lazy jose)', async () => {
    const verifier = main.createGrantVerifier({ jwksUri: input.jwksUrl, issuer: input.issuer, developerId: input.developerId });
    checkGrant(await verifier.verify(input.token));
    await rejects(verifier.verify(input.token, { audience: 'https://elsewhere.example' }), (error) => {
      assert(main.isGrantexError(error) && error.code === 'TOKEN_AUDIENCE_INVALID', `expected TOKEN_AUDIENCE_INVALID, got ${describe(error)}`);
    });
  });

  check('PKCE: RFC 7636 vector and generatePkce()', async () => {
    assert((await pkce.computeCodeChallenge(RFC7636_VERIFIER)) === RFC7636_CHALLENGE, 'RFC 7636 Appendix B challenge');
    const pair = await pkce.generatePkce();
    assert(/^[A-Za-z0-9_-]{43,128}$/.test(pair.codeVerifier), `verifier ${pair.codeVerifier}`);
    assert(pair.codeChallengeMethod === 'S256', 'method S256');
    assert((await pkce.computeCodeChallenge(pair.codeVerifier)) === pair.codeChallenge, 'challenge matches verifier');
    await pkce.verifyCodeVerifier(pair.codeVerifier, pair.codeChallenge);
    await rejects(pkce.verifyCodeVerifier(pair.codeVerifier, 'x'.repeat(43)), (error) => {
      assert(error instanceof pkce.PkceVerificationError, `expected PkceVerificationError, got ${describe(error)}`);
    });
    assert((await pkce.generatePkce()).codeVerifier !== pair.codeVerifier, 'fresh verifiers');
  });

  check('webhooks: sign, verify, construct; a tampered body fails', async () => {
    const secret = 'whsec_runtime_matrix_secret';
    const payload = JSON.stringify({ id: 'evt_1', type: 'grant.revoked', createdAt: new Date().toISOString(), data: { grantId: input.grantId, cascade: true } });
    const headers = await webhooks.signWebhookPayload({ payload, secret });
    await webhooks.verifyWebhook({ payload, headers, secret });
    const event = await webhooks.constructWebhookEvent({ payload, headers: new Headers(headers), secret });
    assert(event.type === 'grant.revoked' && event.data.grantId === input.grantId, `event ${JSON.stringify(event)}`);
    assert(webhooks.isKnownWebhookEvent(event), 'known event');
    await rejects(webhooks.constructWebhookEvent({ payload: payload.replace('"cascade":true', '"cascade":false'), headers, secret }), (error) => {
      assert(error instanceof webhooks.WebhookVerificationError, `expected WebhookVerificationError, got ${describe(error)}`);
    });
  });

  check('enforce: guard a tool call offline (@grantex/sdk/enforce)', async () => {
    const enforcer = enforce.createEnforcer({
      jwksUri: input.jwksUrl,
      issuer: input.issuer,
      developerId: input.developerId,
      manifests: [enforce.defineManifest({ connector: 'calendar', tools: { list_events: 'read', delete_event: 'delete' } })],
    });
    const request = (token) => new Request('https://tools.example/calendar', { headers: token ? { authorization: `Bearer ${token}` } : {} });
    assert((await enforcer.guard(request(input.toolToken), { connector: 'calendar', tool: 'list_events' })) === null, 'read tool allowed');
    const denied = await enforcer.guard(request(input.toolToken), { connector: 'calendar', tool: 'delete_event' });
    assert(denied instanceof Response && denied.status === 403, `delete denied with 403, got ${denied?.status}`);
    assert((await denied.json()).code === 'PERMISSION_INSUFFICIENT', 'PERMISSION_INSUFFICIENT');
    const missing = await enforcer.guard(request(undefined), { connector: 'calendar', tool: 'list_events' });
    assert(missing instanceof Response && missing.status === 401, `no token is 401, got ${missing?.status}`);
  });

  check("enforce: a grant revoked on the live feed is denied (revocation: { mode: 'events' })", async () => {
    const enforcer = enforce.createEnforcer({
      jwksUri: input.jwksUrl,
      issuer: input.issuer,
      developerId: input.developerId,
      manifests: [enforce.defineManifest({ connector: 'calendar', tools: { list_events: 'read' } })],
      revocation: { mode: 'events', apiKey: API_KEY, baseUrl: input.eventsBaseUrl },
    });
    try {
      const call = { connector: 'calendar', tool: 'list_events' };
      const allowed = await enforcer.check({ grantToken: input.toolToken, ...call });
      assert(allowed.code === 'ALLOWED', `the active grant: ${allowed.code} ${allowed.message}`);
      // The API still accepts the revoked grant's token online here: only the feed can deny it.
      let decision;
      for (let attempt = 0; attempt < 200; attempt++) {
        decision = await enforcer.check({ grantToken: input.revokedToolToken, ...call });
        if (decision.code === 'TOKEN_REVOKED') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert(decision?.code === 'TOKEN_REVOKED', `the revoked grant: ${decision?.code} ${decision?.message}`);
      const response = await enforcer.guard(new Request('https://tools.example/calendar', { headers: { authorization: `Bearer ${input.revokedToolToken}` } }), call);
      assert(response instanceof Response && response.status === 401, `guard answers 401, got ${response?.status}`);
    } finally {
      await enforcer.close();
    }
  });
  check('testing: a local Grantex as a fetch handler (@grantex/sdk/testing)', async () => {
    const server = await testing.createTestServer();
    const local = new main.Grantex({ apiKey: server.apiKey, baseUrl: server.url, fetch: server.fetch, maxRetries: 0, dangerouslyAllowBrowser: true });
    const agent = await local.agents.register({ name: 'matrix-agent', scopes: ['calendar:read'] });
    assert((await local.agents.get(agent.agentId)).name === 'matrix-agent', 'the agent it stored');
    await rejects(local.agents.get('ag_unknown'), (error) => assert(error instanceof main.NotFoundError, `expected NotFoundError, got ${describe(error)}`));
  });

  check('vault: an authorized fetch adds the credential for the allowed origin only (@grantex/sdk/vault)', async () => {
    const { vault } = sdk;
    const server = await testing.createTestServer({ rateLimits: false });
    const local = new main.Grantex({ apiKey: server.sandboxApiKey, baseUrl: server.url, fetch: server.fetch, maxRetries: 0, dangerouslyAllowBrowser: true });
    const agent = await local.agents.register({ name: 'matrix-vault', scopes: ['github:read'] });
    const consent = await local.authorize({ agentId: agent.agentId, userId: 'user_matrix', scopes: ['github:read'] });
    const { grantToken, grantId } = await local.tokens.exchange({ code: consent.code, agentId: agent.agentId });
    const secret = 'gho_matrix_credential_0123456789';
    await local.vault.store({ principalId: 'user_matrix', service: 'github', accessToken: secret });
    // Grantex calls go to the local server; everything else is the upstream, which records what it got.
    const upstream = [];
    const fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.url.startsWith(server.url)) return server.fetch(request);
      upstream.push(`${request.url} ${request.headers.get('authorization')}`);
      return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const options = { grantToken, service: 'github', allowedOrigins: ['https://api.github.com'], fetch };
    const github = vault.createAuthorizedFetch({ ...options, baseUrl: server.url });
    const response = await github('https://api.github.com/user?page=1');
    assert(response.status === 200 && (await response.json()).ok === true, `status ${response.status}`);
    assert(response.url === 'https://api.github.com/user?page=1', `response.url ${response.url}`);
    assert(upstream[0] === `https://api.github.com/user?page=1 Bearer ${secret}`, `upstream saw ${upstream[0]}`);
    const viaClient = new main.Grantex({ apiKey: server.sandboxApiKey, baseUrl: server.url, fetch, maxRetries: 0, dangerouslyAllowBrowser: true });
    assert((await viaClient.vault.authorizedFetch(options)('https://api.github.com/user')).status === 200, 'client.vault.authorizedFetch');
    await rejects(github('https://api.github.com./user'), (error) => {
      assert(error instanceof vault.AuthorizedFetchError && error.code === 'HOST_NOT_CANONICAL', `expected HOST_NOT_CANONICAL, got ${describe(error)}`);
    });
    await rejects(github('https://api.github.com@evil.example/'), (error) => assert(error.code === 'URL_USERINFO', `expected URL_USERINFO, got ${describe(error)}`));
    await rejects(github('https://api.github.com/user', { headers: { authorization: 'Bearer mine' } }), (error) => {
      assert(error.code === 'AUTHORIZATION_CONFLICT', `expected AUTHORIZATION_CONFLICT, got ${describe(error)}`);
    });
    assert(upstream.length === 2, `refused requests reached the upstream: ${upstream.length}`);
    await local.grants.revoke(grantId);
    for (const fresh of [vault.createAuthorizedFetch({ ...options, baseUrl: server.url }), viaClient.vault.authorizedFetch(options)]) {
      await rejects(fresh('https://api.github.com/user'), (error) => {
        assert(error instanceof vault.VaultExchangeError && error instanceof errors.GrantexApiError, `expected VaultExchangeError, got ${describe(error)}`);
        assert(error.code === 'UNAUTHORIZED' && error.status === 401, `code ${error.code}, status ${error.status}`);
        assert(!JSON.stringify(error).includes(secret) && !String(error.stack).includes(grantToken), 'no credential in the error');
      });
    }
  });

  check('events: one live event over SSE', async () => {
    const streaming = new main.Grantex({ apiKey: 'gx_test_runtime_matrix_key_0001', baseUrl: input.eventsBaseUrl, dangerouslyAllowBrowser: true });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    try {
      let seen;
      for await (const event of streaming.events.stream({ types: ['grant.revoked'], signal: controller.signal, reconnect: false })) {
        seen = event;
        break;
      }
      assert(seen?.id === 'evt_matrix' && seen.data.note === 'über 😀', `event ${JSON.stringify(seen)}`);
    } finally {
      clearTimeout(timer);
      streaming.close();
    }
  });

  const results = [];
  for (const { name, fn } of checks) {
    const started = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - started });
    } catch (error) {
      results.push({ name, ok: false, ms: Date.now() - started, error: describe(error) });
    }
  }
  return { runtime: input.runtime, ok: results.every((r) => r.ok), results };
}
