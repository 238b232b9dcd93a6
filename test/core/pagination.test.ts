import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { describe, expect, it } from 'vitest';

import type { RawResult } from '../../src/core/api-promise.js';
import { PagePromise, type PaginationSpec } from '../../src/core/pagination.js';
import { Grantex } from '../../src/index.js';

import { GRANT } from './grant-fixture.js';

type Params = Record<string, unknown>;

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** A fake list endpoint: records each request's params and answers with `answer(params)`. */
function endpoint<Page>(answer: (params: Params) => Page) {
  const calls: Params[] = [];
  const fetchRaw = async (params: Params): Promise<RawResult<Page>> => {
    calls.push(params);
    return { data: answer(params), response: new Response(null, { status: 200 }), url: 'http://api.test/list' };
  };
  return { calls, list: <Item>(params: Params, spec: PaginationSpec) => new PagePromise<Page, Item>(fetchRaw, params, spec) };
}

/** A server holding `total` numbered items, answering page/pageSize like the deliveries list. */
function numbered(total: number, options: { echo?: boolean; stuckAt?: number } = {}) {
  return endpoint((params) => {
    const page = options.stuckAt ?? Number(params['page'] ?? 1);
    const size = Math.min(Number(params['pageSize'] ?? 20), 100);
    const deliveries = Array.from({ length: total }, (_, i) => i + 1).slice((page - 1) * size, page * size);
    return options.echo === false ? { deliveries } : { deliveries, total, page, pageSize: size };
  });
}

const PAGED: PaginationSpec = { style: 'page', items: 'deliveries' };

describe('PagePromise', () => {
  it('awaiting it gives the first page with its metadata; iterating gives every item once, in order', async () => {
    const server = numbered(7);
    const first = await server.list<number>({ pageSize: 3, status: 'failed' }, PAGED);
    expect(first).toEqual({ deliveries: [1, 2, 3], total: 7, page: 1, pageSize: 3 });
    const again = numbered(7);
    expect(await collect(again.list<number>({ pageSize: 3, status: 'failed' }, PAGED))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(again.calls).toEqual([
      { pageSize: 3, status: 'failed' },
      { page: 2, pageSize: 3, status: 'failed' },
      { page: 3, pageSize: 3, status: 'failed' },
    ]);
  });

  it('stops exactly at the total: a last page that fills it asks for no further page', async () => {
    const exact = numbered(6);
    expect(await collect(exact.list<number>({ pageSize: 3 }, PAGED))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(exact.calls).toHaveLength(2);
    const onePast = numbered(7);
    expect(await collect(onePast.list<number>({ pageSize: 3 }, PAGED))).toHaveLength(7);
    expect(onePast.calls).toHaveLength(3);
  });

  it('an answer without page metadata is one page: no loop, no duplicates', async () => {
    const server = numbered(5, { echo: false });
    expect(await collect(server.list<number>({}, PAGED))).toEqual([1, 2, 3, 4, 5]);
    expect(server.calls).toHaveLength(1);
  });

  it('a server that keeps answering with the same page is read once', async () => {
    const server = numbered(50, { stuckAt: 1 });
    expect(await collect(server.list<number>({ pageSize: 10 }, PAGED))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(server.calls).toHaveLength(2);
  });

  it('stops at an empty page even if the total says more', async () => {
    const server = endpoint((params) => ({ deliveries: params['page'] === 2 ? [] : [1], total: 99, page: params['page'] ?? 1, pageSize: 1 }));
    expect(await collect(server.list<number>({}, PAGED))).toEqual([1]);
  });

  it('stops fetching when the caller stops iterating', async () => {
    const server = numbered(100);
    for await (const item of server.list<number>({ pageSize: 10 }, PAGED)) {
      if (item === 12) break;
    }
    expect(server.calls).toHaveLength(2);
  });

  it('walks SCIM startIndex/count lists', async () => {
    const users = Array.from({ length: 5 }, (_, i) => `user${i + 1}`);
    const server = endpoint((params) => {
      const start = Number(params['startIndex'] ?? 1);
      const Resources = users.slice(start - 1, start - 1 + Number(params['count'] ?? 100));
      return { totalResults: users.length, startIndex: start, itemsPerPage: Resources.length, Resources };
    });
    expect(await collect(server.list<string>({ count: 2 }, { style: 'scim' }))).toEqual(users);
    expect(server.calls.map((call) => call['startIndex'])).toEqual([undefined, 3, 5]);
  });

  it('walks cursor lists by the dotted cursor path and stops on a repeated cursor', async () => {
    const pages: Record<string, { data: string[]; meta: { cursor?: string } }> = {
      start: { data: ['a', 'b'], meta: { cursor: 'c1' } },
      c1: { data: ['c'], meta: { cursor: 'c1' } },
    };
    const server = endpoint((params) => pages[String(params['cursor'] ?? 'start')]!);
    expect(await collect(server.list<string>({}, { style: 'cursor', items: 'data', cursor: 'meta.cursor' }))).toEqual(['a', 'b', 'c']);
    expect(server.calls).toEqual([{}, { cursor: 'c1' }]);
  });

  it('single-page lists (and bare-array answers) yield their items once', async () => {
    const wrapped = endpoint(() => ({ agents: ['x', 'y'] }));
    expect(await collect(wrapped.list<string>({}, { style: 'single', items: 'agents' }))).toEqual(['x', 'y']);
    expect(wrapped.calls).toHaveLength(1);
    const bare = endpoint(() => ['p', 'q']);
    expect(await collect(bare.list<string>({}, { style: 'single' }))).toEqual(['p', 'q']);
  });
});

describe('auto-pagination against a hostile server (through the client)', () => {

  /** A fetch answering every request with `answer(url, n)`; past `cap` requests it ends the list, so old code fails instead of hanging. */
  function hostile(answer: (url: URL, n: number) => unknown, cap = 200): { fetch: typeof fetch; requests: () => number } {
    let n = 0;
    return {
      requests: () => n,
      fetch: async (input) => {
        n++;
        if (n > cap) return Response.json({ grants: [], data: [], meta: {}, total: 0 });
        return Response.json(answer(new URL((input as Request).url), n));
      },
    };
  }

  function client(fetchImpl: typeof fetch, validation: 'strict' | 'off' = 'strict'): Grantex {
    return new Grantex({ apiKey: 'gx_live_pagination_key_0123456789', baseUrl: 'https://api.example.test', fetch: fetchImpl, maxRetries: 0, validation });
  }

  it('pages that repeat the same items with total 1e15 end the walk: 2 requests, no duplicates', async () => {
    const server = hostile(() => ({ grants: [GRANT], total: 1e15 }));
    const grants = await collect(client(server.fetch).grants.list({ pageSize: 1 }));
    expect(grants.map((grant) => grant.grantId)).toEqual(['grnt_1']);
    expect(server.requests()).toBe(2);
  });

  it('pages that echo the page number but cycle through the same two sets of items end at the first repeat', async () => {
    const server = hostile((url) => {
      const page = Number(url.searchParams.get('page') ?? 1);
      return { grants: [{ ...GRANT, grantId: page % 2 ? 'grnt_odd' : 'grnt_even' }], total: 1e15, page, pageSize: 1 };
    });
    const grants = await collect(client(server.fetch).grants.list({ pageSize: 1 }));
    expect(grants.map((grant) => grant.grantId)).toEqual(['grnt_odd', 'grnt_even']);
    expect(server.requests()).toBe(3);
  });

  it('a cursor that comes back after another (A, B, A) ends the walk: 3 requests', async () => {
    const server = hostile((url) => {
      const cursor = url.searchParams.get('cursor');
      const next = cursor === 'cursor_a' ? 'cursor_b' : 'cursor_a';
      return { data: [{ orgId: `org_after_${cursor ?? 'start'}` }], meta: { cursor: next } };
    });
    const orgs = await collect(client(server.fetch, 'off').registry.orgs.list());
    expect(orgs).toHaveLength(3);
    expect(server.requests()).toBe(3);
  });

  it(
    'walking pages that each carry a new 1 MB cursor keeps a bounded amount of memory',
    async () => {
      // Exact heap figures need a collection before each reading; V8 exposes one on request.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const MB = 1024 * 1024;
      const pages = 64;
      const server = hostile((_url, n) => ({ data: [{ orgId: `org_${n}` }], meta: { cursor: `${n}:${'c'.repeat(MB)}` } }), pages + 10);
      const walk = client(server.fetch, 'off').registry.orgs.list()[Symbol.asyncIterator]();
      await walk.next();
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < pages; i++) expect((await walk.next()).done).toBe(false);
      // The walk is still going: whatever it remembers is alive now.
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      await walk.return(undefined);
      // Keeping every cursor costs at least 64 MB here (twice that with the request keys); the
      // bound leaves room for the current page, its cursor and allocator noise.
      expect(grown).toBeLessThan(24 * MB);
      expect(server.requests()).toBe(pages + 1);
    },
    // 64 MB of JSON parsed and built, URLs of a megabyte: seconds on a loaded machine.
    120_000,
  );
});
