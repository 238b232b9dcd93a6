// Compiled by scripts/ts-consumer-matrix.mjs in every setup with the full package: code that names
// the package's exported result types, as application code does. A value a method returned must fit
// a variable or parameter of the exported type (`Grant`, `Api.Policy`), a page's items must spread
// into a plain `Grant[]`, each list's page has a name, and a page walks by hand. Against exported
// types that are not what the methods return (mutable `Grant` beside deeply readonly results) this
// file fails with TS2322/TS2345/TS4104; without named pages or page methods, with TS2305/TS2339.
import {
  Grantex,
  GrantexNoNextPageError,
  type Agent,
  type AgentsPage,
  type Api,
  type Grant,
  type GrantexErrorCode,
  type GrantsPage,
  type ListPage,
  type ScimUsersPage,
} from '@grantex/sdk';

/** Takes the exported type, as helpers in an application do. */
function describeGrant(grant: Grant): string {
  return `${grant.grantId} ${grant.scopes.join(' ')}`;
}

export async function activeGrants(client: Grantex): Promise<Grant[]> {
  const page: GrantsPage = await client.grants.list({ status: 'active' });
  const grants: Grant[] = [...page.grants];
  // The same without the page's name: the items of the awaited list, spread.
  grants.push(...(await client.grants.list({ status: 'revoked' })).grants);
  const first: Grant | undefined = page.grants[0];
  if (first !== undefined) describeGrant(first);
  return grants;
}

export async function describeOne(client: Grantex, grantId: string): Promise<string> {
  return describeGrant(await client.grants.get(grantId));
}

export async function everyAgent(client: Grantex): Promise<Agent[]> {
  let page: AgentsPage = await client.agents.list();
  const agents: Agent[] = [...page.agents];
  while (page.hasNextPage()) {
    page = await page.getNextPage();
    agents.push(...page.agents);
  }
  return agents;
}

export async function scimUserNames(client: Grantex, scimToken: string): Promise<string[]> {
  const names: string[] = [];
  let page: ScimUsersPage = await client.scim.withToken(scimToken).users.list({ count: 100 });
  for (;;) {
    for (const user of page.Resources) names.push(user.userName);
    if (!page.hasNextPage()) return names;
    page = await page.getNextPage();
  }
}

export async function pastTheEnd(client: Grantex): Promise<GrantexErrorCode | undefined> {
  const page: ListPage<Api.GrantList> = await client.grants.list();
  try {
    await page.getNextPage();
    return undefined;
  } catch (error: unknown) {
    if (error instanceof GrantexNoNextPageError) return error.code;
    throw error;
  }
}

export async function namedSchemas(client: Grantex, policyId: string): Promise<Api.Policy[]> {
  const policy: Api.Policy = await client.policies.get(policyId);
  const { data }: { data: Api.PolicyList } = await client.policies.list().withResponse();
  const grant: Api.Grant = await client.grants.get('grnt_1');
  describeGrant(grant);
  return [policy, ...data.policies];
}

/** Values a caller builds and changes: the params types and `Api.Mutable` are as written. */
export function drafts(): [Api.Mutable.Grant, Api.CreateWebhookParams] {
  const grant: Api.Mutable.Grant = {
    grantId: 'grnt_1',
    agentId: 'ag_1',
    principalId: 'user_1',
    developerId: 'dev_1',
    scopes: ['calendar:read'],
    status: 'active',
    issuedAt: '2026-11-22T13:07:39.283Z',
    expiresAt: '2026-11-23T13:07:39.283Z',
    delegationDepth: 0,
  };
  grant.scopes.push('calendar:write');
  const webhook: Api.CreateWebhookParams = { url: 'https://example.com/hooks', events: ['grant.created'] };
  webhook.events.push('grant.revoked');
  return [grant, webhook];
}
