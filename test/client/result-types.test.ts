// What the methods return is exactly the exported name they are written with. The generator writes
// a result as `ApiPromise<Api.Grant>` only where that name is the type it would otherwise spell out
// (`DeepReadonly<…>` of the schema as written, its `decode`d fields decoded); these checks compare
// both spellings and the exported names, so a rule that picked a name too eagerly fails the test
// type-check (`tsc -p test/tsconfig.json`), and the runtime half checks the values behind the types.
import { describe, expect, it } from 'vitest';

import { Grantex, type Agent, type AgentsPage, type Api, type Grant } from '../../src/index.js';
import type { DeepReadonly, JsonDecoded } from '../../src/core/codegen.js';

/** true when A and B are the same type (not merely assignable one way); false otherwise. */
type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
/** Compiles only for `true`: a type-level assertion. */
function same<Verdict extends true>(): Verdict | undefined {
  return undefined;
}

/** What awaiting a method gives. */
type Result<M extends (...args: never[]) => PromiseLike<unknown>> = Awaited<ReturnType<M>>;
/** What `for await` over a list gives. */
type Item<M extends (...args: never[]) => AsyncIterable<unknown>> = ReturnType<M> extends AsyncIterable<infer I> ? I : never;

type GrantsGet = Grantex['grants']['get'];
type AgentsList = Grantex['agents']['list'];
type VaultGet = Grantex['vault']['get'];

describe('method results are the exported names', () => {
  it('grants.get resolves to Grant, Api.Grant and the spelled-out readonly schema, not the mutable one', () => {
    same<Equals<Result<GrantsGet>, Grant>>();
    same<Equals<Result<GrantsGet>, Api.Grant>>();
    same<Equals<Result<GrantsGet>, DeepReadonly<Api.Mutable.Grant>>>();
    // @ts-expect-error the schema as written (mutable) is not what the method returns
    same<Equals<Result<GrantsGet>, Api.Mutable.Grant>>();
    // @ts-expect-error another schema's name is not this result's
    same<Equals<Result<GrantsGet>, Api.Agent>>();
  });

  it("agents.list pages are AgentsPage, and their items (awaited or iterated) are Agent", () => {
    same<Equals<Result<AgentsList>, AgentsPage>>();
    same<Equals<Result<AgentsList>['agents'][number], Agent>>();
    same<Equals<Item<AgentsList>, Agent>>();
    same<Equals<Item<AgentsList>, DeepReadonly<Api.Mutable.Agent>>>();
    // @ts-expect-error a page item is not the page's list schema
    same<Equals<Item<AgentsList>, Api.AgentList>>();
  });

  it('a decoded answer (vault.get) is Api.VaultCredential, with its metadata decoded', () => {
    same<Equals<Result<VaultGet>, Api.VaultCredential>>();
    same<Equals<Result<VaultGet>, DeepReadonly<JsonDecoded<Api.Mutable.VaultCredential, 'metadata', Record<string, unknown>>>>>();
    // @ts-expect-error without the decoded field, the schema is another type
    same<Equals<Result<VaultGet>, DeepReadonly<Api.Mutable.VaultCredential>>>();
  });

  it('the values behind those types: a decoded field arrives as an object, the methods exist on a client', async () => {
    const body = { id: 'vc_1', service: 'github', metadata: '{"team":"infra"}' };
    const fetch = async (): Promise<Response> => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    const client = new Grantex({ apiKey: 'gx_test_result_types', baseUrl: 'https://api.example.test', fetch, maxRetries: 0, validation: 'off' });
    const credential: Api.VaultCredential = await client.vault.get('vc_1');
    expect(credential.metadata).toEqual({ team: 'infra' });
  });
});
