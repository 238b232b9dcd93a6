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
import { fingerprint } from '../internal/fingerprints.js';

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

/** What a walk remembers of each page before the current one: fingerprints, never the data. */
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
    // Named fields, not a spread: the result's `url` is a getter on its prototype, which a spread skips.
    super(fetchPage(params).then((result) => ({ data: new Walk(spec, fetchPage, params, result.data, []).navigable(), response: result.response, url: result.url })));
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
    let walk = new Walk(this.#spec, this.#fetchPage, this.#params, await this, []);
    for (;;) {
      // A page that is not the one asked for, is empty or adds nothing new (the same items as one
      // already read) ends the walk before its items are yielded twice.
      if (!walk.fresh()) return;
      yield* walk.items() as readonly Item[];
      const next = walk.next();
      if (next === undefined) return;
      walk = await walk.follow(next);
    }
  }

  /** Makes `Object.prototype.toString` print `[object PagePromise]`. */
  override get [Symbol.toStringTag](): string {
    return 'PagePromise';
  }
}

/**
 * One page of a walk, with what decides whether the walk goes on: both `for await` and a page's
 * `hasNextPage()`/`getNextPage()` go through it, so the two stop at the same place. `trail` holds
 * a fingerprint of every page before this one (at most {@link REMEMBERED}), so a server leading
 * back to an earlier request or repeating an earlier page ends the walk.
 */
class Walk<Page> {
  readonly #spec: PaginationSpec;
  readonly #fetchPage: (params: Params) => Promise<RawResult<Page>>;
  readonly #params: Params;
  readonly #page: Page;
  readonly #trail: readonly Step[];
  #request: string | undefined;
  #read: string | undefined;

  constructor(spec: PaginationSpec, fetchPage: (params: Params) => Promise<RawResult<Page>>, params: Params, page: Page, trail: readonly Step[]) {
    this.#spec = spec;
    this.#fetchPage = fetchPage;
    this.#params = params;
    this.#page = page;
    this.#trail = trail;
  }

  items(): readonly unknown[] {
    return itemsOf(this.#spec, this.#page);
  }

  #requestPrint(): string {
    return (this.#request ??= fingerprint(JSON.stringify(this.#params)));
  }

  #itemsPrint(): string {
    return (this.#read ??= fingerprint(JSON.stringify(this.items())));
  }

  /** False when the page is not the one asked for, is empty, or repeats an earlier page. */
  fresh(): boolean {
    return accepts(this.#spec, this.#page, this.#params) && this.items().length > 0 && !this.#trail.some((step) => step.items === this.#itemsPrint());
  }

  /** The params of the next page; undefined at the end of the list. */
  next(): Params | undefined {
    if (!this.fresh()) return undefined;
    const following = nextParams(this.#spec, this.#page, this.#params, this.items().length);
    if (following === undefined) return undefined;
    // An earlier cursor (or page) is caught by the fingerprints of the requests already made.
    const request = fingerprint(JSON.stringify(following));
    return request === this.#requestPrint() || this.#trail.some((step) => step.request === request) ? undefined : following;
  }

  /** Fetches the page `next()` gave. */
  async follow(following: Params): Promise<Walk<Page>> {
    const step: Step = { request: this.#requestPrint(), items: this.#itemsPrint() };
    const result = await this.#fetchPage(following);
    return new Walk(this.#spec, this.#fetchPage, following, result.data, [...this.#trail.slice(1 - REMEMBERED), step]);
  }

  /**
   * The page with `hasNextPage()` and `getNextPage()`, as non-enumerable properties so that its
   * data stays exactly what the server sent.
   */
  navigable(): Page {
    const page = this.#page;
    if (typeof page !== 'object' || page === null || !Object.isExtensible(page)) return page;
    const methods: PageNavigation<Page> = {
      hasNextPage: () => this.next() !== undefined,
      getNextPage: async () => {
        const following = this.next();
        if (following === undefined) throw new GrantexNoNextPageError();
        return (await this.follow(following)).navigable() as ListPage<Page>;
      },
    };
    for (const [name, value] of Object.entries(methods)) Object.defineProperty(page, name, { value, configurable: true, writable: true });
    return page;
  }
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

