import { describe, expect, it } from 'vitest';

import type { RawResult } from '../../src/core/api-promise.js';
import { PagePromise, type PaginationSpec } from '../../src/core/pagination.js';

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
