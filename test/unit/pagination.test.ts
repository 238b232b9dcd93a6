import { describe, expect, it } from 'vitest';

import { byCursor, byPageNumber, byStartIndex, paginate, singlePage } from '../../src/core/pagination.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

type Params = { page?: number; pageSize?: number; status?: string };
type NumberedPage = { deliveries: number[]; total?: number; page?: number; pageSize?: number };

/** A server holding `total` numbered items, answering page/pageSize like the deliveries list. */
function numberedServer(total: number, options: { echo?: boolean; stuckAt?: number } = {}) {
  const calls: Params[] = [];
  const fetchPage = async (params: Params): Promise<NumberedPage> => {
    calls.push(params);
    const page = options.stuckAt ?? params.page ?? 1;
    const size = Math.min(params.pageSize ?? 20, 100);
    const deliveries = Array.from({ length: total }, (_, i) => i + 1).slice((page - 1) * size, page * size);
    return options.echo === false ? { deliveries } : { deliveries, total, page, pageSize: size };
  };
  return { calls, fetchPage };
}

describe('paginate', () => {
  it('walks page/pageSize lists to the end, in order, once each', async () => {
    const server = numberedServer(7);
    const items = await collect(paginate(server.fetchPage, { pageSize: 3, status: 'failed' }, byPageNumber<Params, NumberedPage, 'deliveries'>('deliveries')));
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(server.calls).toEqual([
      { pageSize: 3, status: 'failed' },
      { page: 2, pageSize: 3, status: 'failed' },
      { page: 3, pageSize: 3, status: 'failed' },
    ]);
  });

  it('an answer without page metadata is one page: no loop, no duplicates', async () => {
    const server = numberedServer(5, { echo: false });
    const items = await collect(paginate(server.fetchPage, {}, byPageNumber<Params, NumberedPage, 'deliveries'>('deliveries')));
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(server.calls).toHaveLength(1);
  });

  it('a server that keeps answering with the same page is read once', async () => {
    const server = numberedServer(50, { stuckAt: 1 });
    const fetchPage = async (params: Params) => ({ ...(await server.fetchPage(params)), page: 1 });
    const items = await collect(paginate(fetchPage, { pageSize: 10 }, byPageNumber<Params, NumberedPage, 'deliveries'>('deliveries')));
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(server.calls).toHaveLength(2);
  });

  it('stops at an empty page even if the total says more', async () => {
    const fetchPage = async (params: Params): Promise<NumberedPage> => ({ deliveries: params.page === 2 ? [] : [1], total: 99, page: params.page ?? 1, pageSize: 1 });
    const items = await collect(paginate(fetchPage, {}, byPageNumber<Params, NumberedPage, 'deliveries'>('deliveries')));
    expect(items).toEqual([1]);
  });

  it('stops fetching when the caller stops iterating', async () => {
    const server = numberedServer(100);
    for await (const item of paginate(server.fetchPage, { pageSize: 10 }, byPageNumber<Params, NumberedPage, 'deliveries'>('deliveries'))) {
      if (item === 12) break;
    }
    expect(server.calls).toHaveLength(2);
  });

  it('walks SCIM startIndex/count lists', async () => {
    const users = Array.from({ length: 5 }, (_, i) => `user${i + 1}`);
    const calls: Array<{ startIndex?: number; count?: number }> = [];
    const fetchPage = async (params: { startIndex?: number; count?: number }) => {
      calls.push(params);
      const start = params.startIndex ?? 1;
      const Resources = users.slice(start - 1, start - 1 + (params.count ?? 100));
      return { totalResults: users.length, startIndex: start, itemsPerPage: Resources.length, Resources };
    };
    expect(await collect(paginate(fetchPage, { count: 2 }, byStartIndex<{ startIndex?: number; count?: number }, string>()))).toEqual(users);
    expect(calls.map((call) => call.startIndex)).toEqual([undefined, 3, 5]);
  });

  it('walks cursor lists and stops on a repeated cursor', async () => {
    const pages: Record<string, { data: string[]; meta: { cursor?: string } }> = {
      start: { data: ['a', 'b'], meta: { cursor: 'c1' } },
      c1: { data: ['c'], meta: { cursor: 'c1' } },
    };
    const fetchPage = async (params: { cursor?: string }) => pages[params.cursor ?? 'start']!;
    const strategy = byCursor<{ cursor?: string }, (typeof pages)[string], 'data'>('data', (page) => page.meta.cursor);
    expect(await collect(paginate(fetchPage, {}, strategy))).toEqual(['a', 'b', 'c']);
  });

  it('single-page lists yield their items once', async () => {
    let calls = 0;
    const fetchPage = async () => {
      calls += 1;
      return { agents: ['x', 'y'] };
    };
    expect(await collect(paginate(fetchPage, undefined, singlePage<{ agents: string[] }, 'agents'>('agents')))).toEqual(['x', 'y']);
    expect(calls).toBe(1);
  });
});
