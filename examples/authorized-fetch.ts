/**
 * Calling a third-party API without handling the credential: the agent's tool gets a `fetch` that
 * adds the user's GitHub token from the vault to requests for api.github.com, and the enforcer
 * decides whether the tool runs at all. Neither the tool nor the model ever holds the token.
 *
 *   GRANTEX_BASE_URL=… GRANTEX_API_KEY=… node scripts/run-example.mjs examples/authorized-fetch.ts
 */
import { DEFAULT_BASE_URL, Grantex } from '@grantex/sdk';
import { createEnforcer, EnforcementError } from '@grantex/sdk/enforce';
import { AuthorizedFetchError, createAuthorizedFetch, VaultExchangeError, type AuthorizedFetch } from '@grantex/sdk/vault';

const baseUrl = process.env.GRANTEX_BASE_URL ?? DEFAULT_BASE_URL;
const client = new Grantex();
const userId = 'user_123';

// --- A stand-in for api.github.com, so that the example runs anywhere. It accepts only the token
// that was stored in the vault below; every other request goes to the real network (Grantex). ---
const networkFetch = globalThis.fetch;
let upstreamCalls = 0;
globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  if (new URL(request.url).origin !== 'https://api.github.com') return networkFetch(request);
  upstreamCalls++;
  if (request.headers.get('authorization') !== 'Bearer gho_example_upstream_token') return Response.json({ message: 'Bad credentials' }, { status: 401 });
  return Response.json([{ full_name: 'alice/dotfiles' }, { full_name: 'alice/blog' }]);
};

// Your backend: the user connected GitHub, the credential went into the vault, and the agent got a
// grant that covers reading it (`github:read`) and calling read-level GitHub tools.
await client.vault.store({ principalId: userId, service: 'github', accessToken: 'gho_example_upstream_token' });
const scopes = ['github:read', 'tool:github:read'];
const agent = await client.agents.register({ name: 'repo-helper', scopes });
const request = await client.authorize({ agentId: agent.agentId, userId, scopes });
const code = request.code ?? (await client.consent.approve(request.authRequestId)).code;
const { grantToken, grantId } = await client.tokens.exchange({ code, agentId: agent.agentId });
const { developerId } = await client.me();

// #region fetch
// A fetch that adds the user's GitHub credential, for api.github.com only. The credential is
// exchanged for the grant token on first use and cached until it expires.
const github = createAuthorizedFetch({
  grantToken,
  service: 'github',
  allowedOrigins: ['https://api.github.com'],
});
const response = await github('https://api.github.com/user/repos', { headers: { accept: 'application/vnd.github+json' } });
// #endregion fetch
console.log(`GitHub answered ${response.status}`);

// #region tool
// The tool gets the authorized fetch from its context: it calls GitHub and never sees a token.
interface AgentContext {
  grantToken: string;
  github: AuthorizedFetch;
}

async function listRepos(_input: Record<string, never>, context: AgentContext): Promise<string[]> {
  const answer = await context.github('https://api.github.com/user/repos');
  if (!answer.ok) throw new Error(`GitHub answered ${answer.status}`);
  return ((await answer.json()) as { full_name: string }[]).map((repo) => repo.full_name);
}

// The enforcer decides, offline from the grant token, whether the tool may run at all.
const enforcer = createEnforcer({
  jwksUri: `${baseUrl}/.well-known/jwks.json`,
  developerId,
  manifests: [{ connector: 'github', tools: { list_repos: 'read', delete_repo: 'delete' } }],
});
const guardedListRepos = enforcer.wrapTool(listRepos, {
  connector: 'github',
  tool: 'list_repos',
  getGrantToken: (_input, context) => context.grantToken,
});

const context: AgentContext = { grantToken, github };
console.log(`repos: ${(await guardedListRepos({}, context)).join(', ')}`);
// #endregion tool

// #region denied
// A tool the grant does not cover never runs, so it never reaches GitHub.
const guardedDeleteRepo = enforcer.wrapTool(async (_input: { repo: string }, ctx: AgentContext) => ctx.github('https://api.github.com/repos/alice/blog', { method: 'DELETE' }), {
  connector: 'github',
  tool: 'delete_repo',
  getGrantToken: (_input, ctx) => ctx.grantToken,
});
const callsBefore = upstreamCalls;
try {
  await guardedDeleteRepo({ repo: 'alice/blog' }, context);
} catch (error) {
  if (!(error instanceof EnforcementError)) throw error;
  console.log(`delete_repo refused: ${error.code}, GitHub calls made: ${upstreamCalls - callsBefore}`);
}
// #endregion denied

// #region origins
// The credential goes only to the allowed origins; anything else is refused before it is sent.
try {
  await github('https://api.github.com.attacker.example/user');
} catch (error) {
  if (!(error instanceof AuthorizedFetchError)) throw error;
  console.log(`refused: ${error.code}`);
}
// #endregion origins

// #region client
// The same from a client: the exchange goes through it (its base URL, retries, hooks and logger).
const viaClient = client.vault.authorizedFetch({ grantToken, service: 'github', allowedOrigins: ['https://api.github.com'] });
console.log(`via the client: ${(await viaClient('https://api.github.com/user/repos')).status}`);
// #endregion client

// #region revoked
// After the grant is revoked, the next exchange is refused with the server's code.
await client.grants.revoke(grantId);
const afterRevocation = createAuthorizedFetch({ grantToken, service: 'github', allowedOrigins: ['https://api.github.com'] });
try {
  await afterRevocation('https://api.github.com/user/repos');
} catch (error) {
  if (!(error instanceof VaultExchangeError)) throw error;
  console.log(`after revocation: ${error.code} (${error.status})`);
}
// #endregion revoked
globalThis.fetch = networkFetch;
client.close();
