// SCIM 2.0 provisioning: tokens managed with the API key, and the /scim/v2/Users data plane
// authenticated with one of those tokens. Data-plane errors use the SCIM error body.
import { hex, iso, randomBytes, ulid } from '../encoding.js';
import { badRequest, HttpError, isString, json, noContent, notFound, objectBody, type Body, type Ctx, type Route } from '../http.js';
import { newestFirst, type ScimUserRecord } from '../store.js';

const scimError = (status: number, scimType: string, detail: string) =>
  new HttpError(status, scimType, detail, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail, scimType, status });

/** `emails` is read back as a JSON-encoded string, as the real server double-encodes it. */
const userView = (u: ScimUserRecord) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: u.id,
  ...(u.externalId !== null ? { externalId: u.externalId } : {}),
  userName: u.userName,
  ...(u.displayName !== null ? { displayName: u.displayName } : {}),
  active: u.active,
  emails: JSON.stringify(u.emails),
  meta: { resourceType: 'User', created: iso(u.created), lastModified: iso(u.lastModified) },
});

/** The fields of a POST or PUT body; a PUT replaces everything, so omitted fields take their defaults. */
function readUser(body: Body): Pick<ScimUserRecord, 'userName' | 'displayName' | 'externalId' | 'active' | 'emails'> {
  const { userName, displayName, externalId, active, emails } = body;
  if (!isString(userName) || userName.length === 0) throw scimError(400, 'invalidValue', 'userName is required');
  if (displayName !== undefined && !isString(displayName)) throw scimError(400, 'invalidValue', 'displayName must be a string');
  if (externalId !== undefined && !isString(externalId)) throw scimError(400, 'invalidValue', 'externalId must be a string');
  if (active !== undefined && typeof active !== 'boolean') throw scimError(400, 'invalidValue', 'active must be a boolean');
  const list = emails ?? [];
  if (!Array.isArray(list) || list.some((e) => typeof e !== 'object' || e === null || !isString((e as Body)['value']))) {
    throw scimError(400, 'invalidValue', 'emails must be a list of {value, primary?}');
  }
  return {
    userName,
    displayName: (displayName as string | undefined) ?? null,
    externalId: (externalId as string | undefined) ?? null,
    active: (active as boolean | undefined) ?? true,
    emails: (list as Body[]).map((e) => ({ value: e['value'] as string, ...(typeof e['primary'] === 'boolean' ? { primary: e['primary'] } : {}) })),
  };
}

function ownUser(ctx: Ctx): ScimUserRecord {
  const user = ctx.core.store.scimUsers.get(ctx.params['id']!);
  if (!user || user.developerId !== ctx.developer.developerId) throw scimError(404, 'noTarget', 'User not found');
  return user;
}

function assertUniqueName(ctx: Ctx, userName: string, except?: string): void {
  const taken = [...ctx.core.store.scimUsers.values()].some((u) => u.developerId === ctx.developer.developerId && u.userName === userName && u.id !== except);
  // The real server lets the database's unique index fail: a 500 in the standard envelope.
  if (taken) throw new HttpError(500, 'INTERNAL_ERROR', 'An unexpected error occurred');
}

const scimObject = (ctx: Ctx): Body => {
  const body = ctx.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw scimError(400, 'invalidValue', 'Request body must be a JSON object');
  return body as Body;
};

export const scimRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/scim/tokens',
    auth: 'apiKey',
    handler: (ctx) => {
      const label = objectBody(ctx)['label'];
      if (!isString(label) || label.length === 0) throw badRequest('label is required');
      const { store } = ctx.core;
      const record = { id: `scimtok_${ulid(ctx.now)}`, developerId: ctx.developer.developerId, label, token: hex(randomBytes(32)), createdAt: ctx.now, seq: store.nextSeq() };
      store.scimTokens.set(record.id, record);
      return json(201, { id: record.id, label, token: record.token, createdAt: iso(record.createdAt) });
    },
  },
  {
    method: 'GET',
    path: '/v1/scim/tokens',
    auth: 'apiKey',
    handler: ({ core, developer }) =>
      json(200, {
        tokens: newestFirst(core.store.scimTokens.values(), developer.developerId).map((t) => ({ id: t.id, label: t.label, createdAt: iso(t.createdAt), lastUsedAt: null })),
      }),
  },
  {
    method: 'DELETE',
    path: '/v1/scim/tokens/{id}',
    auth: 'apiKey',
    handler: ({ core, developer, params }) => {
      const token = core.store.scimTokens.get(params['id']!);
      if (!token || token.developerId !== developer.developerId) throw notFound('SCIM token not found');
      core.store.scimTokens.delete(token.id);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/scim/v2/Users',
    auth: 'scimToken',
    handler: (ctx) => {
      const startIndex = Math.max(1, Math.floor(Number(ctx.query.get('startIndex') ?? '1')) || 1);
      const count = Math.min(200, Math.max(1, Math.floor(Number(ctx.query.get('count') ?? '100')) || 100));
      const users = [...ctx.core.store.scimUsers.values()].filter((u) => u.developerId === ctx.developer.developerId).sort((a, b) => a.seq - b.seq);
      return json(200, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: users.length,
        startIndex,
        itemsPerPage: count,
        Resources: users.slice(startIndex - 1, startIndex - 1 + count).map(userView),
      });
    },
  },
  {
    method: 'POST',
    path: '/scim/v2/Users',
    auth: 'scimToken',
    handler: (ctx) => {
      const fields = readUser(scimObject(ctx));
      assertUniqueName(ctx, fields.userName);
      const { store } = ctx.core;
      const user: ScimUserRecord = { id: `scimuser_${ulid(ctx.now)}`, developerId: ctx.developer.developerId, ...fields, created: ctx.now, lastModified: ctx.now, seq: store.nextSeq() };
      store.scimUsers.set(user.id, user);
      return json(201, userView(user));
    },
  },
  {
    method: 'GET',
    path: '/scim/v2/Users/{id}',
    auth: 'scimToken',
    handler: (ctx) => json(200, userView(ownUser(ctx))),
  },
  {
    method: 'PUT',
    path: '/scim/v2/Users/{id}',
    auth: 'scimToken',
    handler: (ctx) => {
      const user = ownUser(ctx);
      const fields = readUser(scimObject(ctx));
      assertUniqueName(ctx, fields.userName, user.id);
      Object.assign(user, fields, { lastModified: ctx.now });
      return json(200, userView(user));
    },
  },
  {
    method: 'PATCH',
    path: '/scim/v2/Users/{id}',
    auth: 'scimToken',
    handler: (ctx) => {
      const user = ownUser(ctx);
      const operations = scimObject(ctx)['Operations'];
      const apply = (path: string, value: unknown) => {
        if (path === 'active' && typeof value === 'boolean') user.active = value;
        if (path === 'userName' && isString(value) && value.length > 0) user.userName = value;
        if (path === 'displayName' && (isString(value) || value === null)) user.displayName = value;
      };
      // Only replace/add apply; emails and externalId cannot be patched; a missing list is a no-op.
      for (const operation of Array.isArray(operations) ? (operations as Body[]) : []) {
        if (!isString(operation['op']) || !['replace', 'add'].includes(operation['op'].toLowerCase())) continue;
        if (isString(operation['path'])) apply(operation['path'], operation['value']);
        else if (typeof operation['value'] === 'object' && operation['value'] !== null) {
          for (const [path, value] of Object.entries(operation['value'] as Body)) apply(path, value);
        }
      }
      user.lastModified = ctx.now;
      return json(200, userView(user));
    },
  },
  {
    method: 'DELETE',
    path: '/scim/v2/Users/{id}',
    auth: 'scimToken',
    handler: (ctx) => {
      ctx.core.store.scimUsers.delete(ownUser(ctx).id);
      return noContent();
    },
  },
];
