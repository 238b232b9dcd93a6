/**
 * One pagination mechanism for every list in the API. A list method returns a {@link PagePromise}:
 * `await` it for one page with whatever page metadata the server sends, or `for await` over it for
 * every item across pages. How each list pages comes from the spec (`x-grantex-sdk.paginate`).
 *
 * The API pages in four ways: page/pageSize with a `total`, SCIM's startIndex/count with
 * `totalResults`, an opaque cursor, and not at all. The walk stops on an empty page, on a page
 * without the metadata to go on, when the server would send it back to a request it has already
 * made (a repeated cursor), and on a page whose items repeat an earlier page, so a misbehaving
 * server can cause neither a loop nor duplicates. What the walk remembers for this is a bounded set
 * of short fingerprints, never the cursors or pages themselves: a server sending a new megabyte
 * cursor with every page costs a megabyte, not a megabyte per page.
 *
 * An awaited page also walks by hand: `page.hasNextPage()` says whether the list goes on and
 * `page.getNextPage()` fetches what follows, with the same stopping rules as `for await`.
 */
import { ApiPromise, type RawResult } from './api-promise.js';
import { GrantexNoNextPageError } from '../errors.js';
import { fingerprint, Fingerprints } from '../internal/fingerprints.js';

/** How a list pages, as the spec declares it. */
export interface PaginationSpec {
  readonly style: 'single' | 'page' | 'scim' | 'cursor';
  /** Key of the items in a page; absent when the page is a bare array. */
  readonly items?: string | undefined;
  /** Cursor lists: the dotted path of the next cursor in a page. */
  readonly cursor?: string | undefined;
}

type Params = Record<string, unknown>;

/**
 * How many fingerprints a walk keeps (of requests made and of pages read). A cycle longer than
 * this is indistinguishable from a server with endlessly many new pages, which only the caller
 * can stop; any shorter one ends the walk.
 */
const REMEMBERED = 1024;

/**
 * The two methods every awaited page has, for walking a list one page at a time. They are
 * non-enumerable: `JSON.stringify(page)`, spreading and `structuredClone` see only the server's data.
 *
 * @example
 * ```ts
 * let page = await client.agents.list({ pageSize: 50 });
 * for (;;) {
 *   for (const agent of page.agents) console.log(agent.agentId);
 *   if (!page.hasNextPage()) break;
 *   page = await page.getNextPage();
 * }
 * ```
 */
export interface PageNavigation<Data> {
  /**
   * True when the list goes on after this page: the page is not empty, says where the next one
   * starts (a total beyond it, a new cursor) and does not repeat a page or request of this walk.
   * Makes no request.
   *
   * @example
   * ```ts
   * const page = await client.grants.list();
   * if (page.hasNextPage()) console.log('more grants follow');
   * ```
   */
  hasNextPage(): boolean;
  /**
   * Fetches the page after this one, with the same params and options. On the last page it
   * rejects with {@link GrantexNoNextPageError} (code `NO_NEXT_PAGE`) and sends nothing.
   *
   * @example
   * ```ts
   * const first = await client.webhooks.deliveries(webhookId, { pageSize: 100 });
   * const second = first.hasNextPage() ? await first.getNextPage() : undefined;
   * ```
   */
  getNextPage(): Promise<ListPage<Data>>;
}

/**
 * One page of a list as `await` gives it: the server's data (`Data`) with
 * {@link PageNavigation}'s `hasNextPage()` and `getNextPage()`. Each list has its own name for it,
 * e.g. `AgentsPage`, `GrantsPage`.
 *
 * @example
 * ```ts
 * import type { AgentsPage } from '@grantex/sdk';
 * const page: AgentsPage = await client.agents.list();
 * ```
 */
export type ListPage<Data> = Data & PageNavigation<Data>;

/** What the walk of one page remembers of each page before it: fingerprints, never the data. */
interface Step {
  readonly request: string;
  readonly items: string;
}

/**
 * The result of a list method: a promise of the first page that is also an async iterable of every
 * item across pages. Pages are fetched lazily; breaking out of the loop stops the requests.
 *
 * @example
 * ```ts
 * const page = await client.grants.list({ pageSize: 50 });    // one page, with its `total`
 * for await (const grant of client.grants.list({ pageSize: 50 })) console.log(grant.grantId); // every grant
 * ```
 */
export class PagePromise<Page, Item> extends ApiPromise<Page> implements AsyncIterable<Item> {
  readonly #fetchPage: (params: Params) => Promise<RawResult<Page>>;
  readonly #params: Params;
  readonly #spec: PaginationSpec;

  /** Made by list methods; the first page's request starts at once. */
  constructor(fetchPage: (params: Params) => Promise<RawResult<Page>>, params: Params, spec: PaginationSpec) {
    super(fetchPage(params).then((result) => ({ ...result, data: withNavigation(spec, fetchPage, params, result.data, []) })));
    this.#fetchPage = fetchPage;
    this.#params = params;
    this.#spec = spec;
  }

  /**
   * Every item across pages, in order.
   *
   * @example
   * ```ts
   * for await (const delivery of client.webhooks.deliveries(webhookId, { pageSize: 100 })) console.log(delivery.status);
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    const requested = new Fingerprints(REMEMBERED);
    const read = new Fingerprints(REMEMBERED);
    let params: Params = this.#params;
    let pending: PromiseLike<Page> = this;
    requested.add(fingerprint(JSON.stringify(params)));
    for (;;) {
      const page = await pending;
      if (!accepts(this.#spec, page, params)) return;
      const items = itemsOf(this.#spec, page) as readonly Item[];
      if (items.length === 0) return;
      // A page that adds nothing new (the same items as one already read) ends the walk before
      // its items are yielded twice: the server is repeating itself, whatever its total says.
      if (this.#spec.style !== 'single' && !read.add(fingerprint(JSON.stringify(items)))) return;
      yield* items;
      const next = nextParams(this.#spec, page, params, items.length);
      if (next === undefined || !requested.add(fingerprint(JSON.stringify(next)))) return;
      params = next;
      pending = this.#fetchPage(params).then((result) => result.data);
    }
  }

  /** Makes `Object.prototype.toString` print `[object PagePromise]`. */
  override get [Symbol.toStringTag](): string {
    return 'PagePromise';
  }
}

/**
 * Adds `hasNextPage()` and `getNextPage()` to a page, as non-enumerable properties so that the
 * page's data stays exactly what the server sent. `trail` holds a fingerprint of every page before
 * it in this walk (at most {@link REMEMBERED}), so a server leading back to an earlier request or
 * repeating an earlier page ends the walk here as it ends `for await`.
 */
function withNavigation<Page>(spec: PaginationSpec, fetchPage: (params: Params) => Promise<RawResult<Page>>, params: Params, page: Page, trail: readonly Step[]): Page {
  if (typeof page !== 'object' || page === null || !Object.isExtensible(page)) return page;
  let itemsPrint: string | undefined;
  const ownItems = () => (itemsPrint ??= fingerprint(JSON.stringify(itemsOf(spec, page))));
  const next = (): Params | undefined => {
    if (spec.style === 'single' || !accepts(spec, page, params)) return undefined;
    const items = itemsOf(spec, page);
    if (items.length === 0) return undefined;
    if (trail.length > 0 && trail.some((step) => step.items === ownItems())) return undefined;
    const following = nextParams(spec, page, params, items.length);
    if (following === undefined) return undefined;
    const request = fingerprint(JSON.stringify(following));
    if (request === fingerprint(JSON.stringify(params)) || trail.some((step) => step.request === request)) return undefined;
    return following;
  };
  const navigation: PageNavigation<Page> = {
    hasNextPage: () => next() !== undefined,
    getNextPage: async () => {
      const following = next();
      if (following === undefined) throw new GrantexNoNextPageError();
      const step: Step = { request: fingerprint(JSON.stringify(params)), items: ownItems() };
      const result = await fetchPage(following);
      return withNavigation(spec, fetchPage, following, result.data, [...trail.slice(-(REMEMBERED - 1)), step]) as ListPage<Page>;
    },
  };
  Object.defineProperties(page, {
    hasNextPage: { value: navigation.hasNextPage, enumerable: false, configurable: true, writable: true },
    getNextPage: { value: navigation.getNextPage, enumerable: false, configurable: true, writable: true },
  });
  return page;
}

function itemsOf(spec: PaginationSpec, page: unknown): readonly unknown[] {
  const source = spec.style === 'scim' ? (page as { Resources?: unknown }).Resources : spec.items ? (page as Record<string, unknown>)?.[spec.items] : page;
  return Array.isArray(source) ? source : [];
}

/** False when the answer is not the page that was asked for (a server repeating itself). */
function accepts(spec: PaginationSpec, page: unknown, params: Params): boolean {
  const record = page as Record<string, unknown>;
  if (spec.style === 'page') return record['page'] === undefined || record['page'] === (params['page'] ?? 1);
  if (spec.style === 'scim') return record['startIndex'] === undefined || record['startIndex'] === (params['startIndex'] ?? 1);
  return true;
}

function nextParams(spec: PaginationSpec, page: unknown, params: Params, read: number): Params | undefined {
  const record = page as Record<string, unknown>;
  switch (spec.style) {
    case 'page': {
      // Without a total the list is complete: the server did not page it.
      const total = record['total'];
      if (typeof total !== 'number') return undefined;
      const current = Number(record['page'] ?? params['page'] ?? 1);
      const size = Number(record['pageSize'] ?? params['pageSize'] ?? read);
      if (!(size > 0) || current * size >= total) return undefined;
      return { ...params, page: current + 1, pageSize: size };
    }
    case 'scim': {
      // The next page starts after the users just read, so a short page skips no one.
      const start = Number(record['startIndex'] ?? params['startIndex'] ?? 1);
      const next = start + read;
      const total = record['totalResults'];
      if (typeof total !== 'number' || next > total) return undefined;
      return { ...params, startIndex: next };
    }
    case 'cursor': {
      const cursor = (spec.cursor ?? 'nextCursor').split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], page);
      // An earlier cursor is caught by the fingerprints of the requests already made.
      if (typeof cursor !== 'string' || cursor === '' || cursor === params['cursor']) return undefined;
      return { ...params, cursor };
    }
    default:
      return undefined;
  }
}

