import { describe, expect, it } from 'vitest';

import type { RawResult } from '../../src/core/api-promise.js';
import { PagePromise, type ListPage, type PaginationSpec } from '../../src/core/pagination.js';
import { Grantex, GrantexError, GrantexNoNextPageError, isGrantexError, type Api, type Grant, type GrantsPage } from '../../src/index.js';

import { GRANT } from './grant-fixture.js';

type Params = Record<string, unknown>;

/** A fake list endpoint: records each request's params and answers with `answer(params)`. */
function endpoint<Data>(answer: (params: Params) => Data) {
  const calls: Params[] = [];
  const fetchRaw = async (params: Params): Promise<RawResult<ListPage<Data>>> => {
    calls.push(params);
    return { data: answer(params) as ListPage<Data>, response: new Response(null, { status: 200 }), url: 'http://api.test/list' };
  };
  return { calls, list: (params: Params, spec: PaginationSpec) => new PagePromise<ListPage<Data>, unknown>(fetchRaw, params, spec) };
}

/** A page/pageSize server holding `total` numbered deliveries. */
function numbered(total: number, options: { stuckAt?: number } = {}) {
  return endpoint((params) => {
    const page = options.stuckAt ?? Number(params['page'] ?? 1);
    const size = Number(params['pageSize'] ?? 20);
    const deliveries = Array.from({ length: total }, (_, i) => i + 1).slice((page - 1) * size, page * size);
    return { deliveries, total, page, pageSize: size };
  });
}

const PAGED: PaginationSpec = { style: 'page', items: 'deliveries' };

async function noNextPage(promise: Promise<unknown>): Promise<GrantexNoNextPageError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GrantexNoNextPageError);
  return error as GrantexNoNextPageError;
}

describe('page.hasNextPage() and page.getNextPage()', () => {
  it('page style, last page exactly full (6 of 6): two pages, then hasNextPage false and nothing sent', async () => {
    const server = numbered(6);
    const first = await server.list({ pageSize: 3, status: 'failed' }, PAGED);
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.deliveries).toEqual([4, 5, 6]);
    expect(server.calls).toEqual([
      { pageSize: 3, status: 'failed' },
      { page: 2, pageSize: 3, status: 'failed' },
    ]);
    expect(second.hasNextPage()).toBe(false);
    await noNextPage(second.getNextPage());
    expect(server.calls).toHaveLength(2);
  });

  it('page style, one past a full page (7 of 6+1): a third page of one item, which is the last', async () => {
    const server = numbered(7);
    const second = await (await server.list({ pageSize: 3 }, PAGED)).getNextPage();
    expect(second.hasNextPage()).toBe(true);
    const third = await second.getNextPage();
    expect(third.deliveries).toEqual([7]);
    expect(third.hasNextPage()).toBe(false);
    expect(server.calls.map((call) => call['page'])).toEqual([undefined, 2, 3]);
  });

  it('on the last page getNextPage rejects with a typed GrantexError, code NO_NEXT_PAGE', async () => {
    const server = numbered(2);
    const only = await server.list({ pageSize: 5 }, PAGED);
    expect(only.hasNextPage()).toBe(false);
    const error = await noNextPage(only.getNextPage());
    expect(error).toBeInstanceOf(GrantexError);
    expect(isGrantexError(error)).toBe(true);
    expect(error.code).toBe('NO_NEXT_PAGE');
    expect(error.name).toBe('GrantexNoNextPageError');
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'GrantexNoNextPageError', code: 'NO_NEXT_PAGE', message: error.message });
    expect(server.calls).toHaveLength(1);
  });

  it('an empty page, or a page repeating an earlier one, has no next page whatever its total says', async () => {
    const empty = endpoint(() => ({ deliveries: [], total: 99, page: 1, pageSize: 10 }));
    expect((await empty.list({}, PAGED)).hasNextPage()).toBe(false);
    const stuck = numbered(50, { stuckAt: 1 });
    const first = await stuck.list({ pageSize: 10 }, PAGED);
    expect(first.hasNextPage()).toBe(true);
    const again = await first.getNextPage();
    expect(again.deliveries).toEqual(first.deliveries);
    expect(again.hasNextPage()).toBe(false);
    expect(stuck.calls).toHaveLength(2);
  });

  it('SCIM style: the last page exactly at totalResults ends it; one more user makes one more page', async () => {
    const scim = (total: number) =>
      endpoint((params) => {
        const start = Number(params['startIndex'] ?? 1);
        const Resources = Array.from({ length: total }, (_, i) => `user${i + 1}`).slice(start - 1, start - 1 + Number(params['count']));
        return { totalResults: total, startIndex: start, itemsPerPage: Resources.length, Resources };
      });
    const exact = scim(4);
    const last = await (await exact.list({ count: 2 }, { style: 'scim' })).getNextPage();
    expect(last.Resources).toEqual(['user3', 'user4']);
    expect(last.hasNextPage()).toBe(false);
    expect(exact.calls.map((call) => call['startIndex'])).toEqual([undefined, 3]);
    const onePast = scim(5);
    const second = await (await onePast.list({ count: 2 }, { style: 'scim' })).getNextPage();
    expect(second.hasNextPage()).toBe(true);
    const third = await second.getNextPage();
    expect(third.Resources).toEqual(['user5']);
    expect(third.hasNextPage()).toBe(false);
  });

  it('cursor style: follows the cursor until a page has none, and stops where the server leads back (A, B, A)', async () => {
    const pages: Record<string, { data: string[]; meta: { cursor?: string } }> = {
      start: { data: ['a'], meta: { cursor: 'c1' } },
      c1: { data: ['b'], meta: { cursor: 'c2' } },
      c2: { data: ['c'], meta: {} },
    };
    const CURSOR: PaginationSpec = { style: 'cursor', items: 'data', cursor: 'meta.cursor' };
    const server = endpoint((params) => pages[String(params['cursor'] ?? 'start')]!);
    const first = await server.list({ limit: 1 }, CURSOR);
    const second = await first.getNextPage();
    const third = await second.getNextPage();
    expect([first, second, third].map((page) => page.data[0])).toEqual(['a', 'b', 'c']);
    expect([first, second, third].map((page) => page.hasNextPage())).toEqual([true, true, false]);
    expect(server.calls).toEqual([{ limit: 1 }, { limit: 1, cursor: 'c1' }, { limit: 1, cursor: 'c2' }]);

    const cycling = endpoint((params) => ({ data: [`after_${String(params['cursor'] ?? 'start')}`], meta: { cursor: params['cursor'] === 'A' ? 'B' : 'A' } }));
    const start = await cycling.list({}, CURSOR);
    const a = await start.getNextPage();
    expect(a.hasNextPage()).toBe(true);
    const b = await a.getNextPage();
    // B points back to A, which this walk has already requested.
    expect(b.hasNextPage()).toBe(false);
    await noNextPage(b.getNextPage());
    expect(cycling.calls.map((call) => call['cursor'])).toEqual([undefined, 'A', 'B']);
  });

  it('single style: never a next page, even with page metadata; bare-array answers navigate too', async () => {
    const wrapped = endpoint(() => ({ agents: ['x', 'y'], total: 10, nextCursor: 'more' }));
    const page = await wrapped.list({}, { style: 'single', items: 'agents' });
    expect(page.hasNextPage()).toBe(false);
    await noNextPage(page.getNextPage());
    const bare = endpoint(() => ['p', 'q']);
    const list = await bare.list({}, { style: 'single' });
    expect([...list]).toEqual(['p', 'q']);
    expect(list.hasNextPage()).toBe(false);
    expect(wrapped.calls).toHaveLength(1);
    expect(bare.calls).toHaveLength(1);
  });

  it('the navigation is invisible to the data: keys, JSON, spreading and structuredClone see what the server sent', async () => {
    const server = numbered(9);
    const page = await server.list({ pageSize: 3 }, PAGED);
    const data = { deliveries: [1, 2, 3], total: 9, page: 1, pageSize: 3 };
    expect(Object.keys(page)).toEqual(Object.keys(data));
    expect(JSON.stringify(page)).toBe(JSON.stringify(data));
    expect({ ...page }).toStrictEqual(data);
    expect(structuredClone(page)).toStrictEqual(data);
    expect(page).toStrictEqual(data);
    expect(typeof page.getNextPage).toBe('function');
  });

  it('getNextPage on one page twice asks for the same next page twice and gives equal pages', async () => {
    const server = numbered(6);
    const first = await server.list({ pageSize: 3 }, PAGED);
    const [x, y] = await Promise.all([first.getNextPage(), first.getNextPage()]);
    expect(x).toEqual(y);
    expect(server.calls.slice(1)).toEqual([
      { page: 2, pageSize: 3 },
      { page: 2, pageSize: 3 },
    ]);
    expect(x.hasNextPage()).toBe(false);
  });
});

describe('named page types and exported result types, through the client', () => {

  function client(answer: (url: URL) => unknown): { client: Grantex; urls: URL[] } {
    const urls: URL[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      const url = new URL((input as Request).url);
      urls.push(url);
      return Response.json(answer(url));
    };
    return { urls, client: new Grantex({ apiKey: 'gx_live_pagination_key_0123456789', baseUrl: 'https://api.example.test', fetch: fetchImpl, maxRetries: 0 }) };
  }

  it('a walk by hand with GrantsPage keeps the filters, and its items fit Grant[] and Grant parameters', async () => {
    const { client: api, urls } = client((url) => {
      const page = Number(url.searchParams.get('page') ?? 1);
      if (url.pathname.endsWith('/grnt_2')) return { ...GRANT, grantId: 'grnt_2' };
      return { grants: [{ ...GRANT, grantId: `grnt_${page}` }], total: 2, page, pageSize: 1 };
    });
    const seen: Grant[] = [];
    let page: GrantsPage = await api.grants.list({ status: 'active', pageSize: 1 });
    for (;;) {
      // The readonly items of a page spread into a plain Grant[] with no cast.
      seen.push(...page.grants);
      if (!page.hasNextPage()) break;
      page = await page.getNextPage();
    }
    expect(seen.map((grant) => grant.grantId)).toEqual(['grnt_1', 'grnt_2']);
    expect(urls.map((url) => url.searchParams.get('status'))).toEqual(['active', 'active']);
    expect(urls.map((url) => url.searchParams.get('page'))).toEqual([null, '2']);

    const label = (grant: Grant): string => `${grant.grantId}:${grant.scopes.join(',')}`;
    expect(label(await api.grants.get('grnt_2'))).toBe('grnt_2:x:read');
    const fromApi: Api.Grant = await api.grants.get('grnt_2');
    const list: Api.GrantList = await api.grants.list();
    expect(fromApi.grantId).toBe('grnt_2');
    expect(list.grants).toHaveLength(1);
  });

  it('withResponse() gives the same navigable page as await', async () => {
    const { client: api, urls } = client((url) => ({ grants: [GRANT], total: 2, page: Number(url.searchParams.get('page') ?? 1), pageSize: 1 }));
    const { data, status, url } = await api.grants.list({ pageSize: 1 }).withResponse();
    expect(status).toBe(200);
    expect(url).toBe(urls[0]!.href);
    expect(data.hasNextPage()).toBe(true);
    const next = await data.getNextPage();
    expect(next.hasNextPage()).toBe(false);
    expect(urls).toHaveLength(2);
  });

  it('Api.Mutable keeps every schema as written, for values callers build and change', () => {
    const draft: Api.Mutable.Grant = { ...GRANT, status: 'active' };
    draft.scopes.push('x:write');
    // @ts-expect-error: a Grant as the SDK returns it is deeply readonly.
    (draft as Grant).scopes.push('x:admin');
    expect(draft.scopes).toEqual(['x:read', 'x:write', 'x:admin']);
  });
});
