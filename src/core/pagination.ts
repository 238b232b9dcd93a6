/**
 * One pagination mechanism for every list in the API. A list method returns one page with its
 * metadata; its `listAll` sibling walks every item across pages with {@link paginate}, told how
 * this list pages by one of the strategies below.
 *
 * The API pages in four ways: page/pageSize with a `total`, SCIM's startIndex/count with
 * `totalResults`, an opaque cursor, and not at all. An answer without page metadata is one page:
 * the walk stops there. It also stops on an empty page, and when the server would send it back
 * to a page it has already read, so a misbehaving server can never cause a loop or duplicates.
 */

/**
 * How one list pages: where its items are, and which parameters fetch the next page.
 * Build one with {@link singlePage}, {@link byPageNumber}, {@link byStartIndex} or {@link byCursor}.
 *
 * @example
 * ```ts
 * const strategy: PageStrategy<undefined, { readonly ids: readonly string[] }, string> = { items: (page) => page.ids, next: () => undefined };
 * ```
 */
export interface PageStrategy<Params, Page, Item> {
  /** The items of one page (an empty array ends the walk). */
  items(page: Page): readonly Item[];
  /** False when the answer is not the page that was asked for (a server repeating itself). */
  accept?(page: Page, params: Params): boolean;
  /** The parameters of the next page, or `undefined` when this was the last one. */
  next(page: Page, params: Params): Params | undefined;
}

/**
 * Yields every item across pages, fetching lazily: breaking out of the loop stops the requests.
 *
 * @example
 * ```ts
 * for await (const delivery of client.webhooks.allDeliveries(webhookId, { pageSize: 100 })) {
 *   if (delivery.status === 'failed') console.log(delivery.id, delivery.lastError);
 * }
 * ```
 */
export async function* paginate<Params, Page, Item>(
  fetchPage: (params: Params) => PromiseLike<Page>,
  first: Params,
  strategy: PageStrategy<Params, Page, Item>,
): AsyncGenerator<Item, void, undefined> {
  const requested = new Set<string>();
  let params = first;
  for (;;) {
    const key = JSON.stringify(params ?? null);
    if (requested.has(key)) return;
    requested.add(key);
    const page = await fetchPage(params);
    if (strategy.accept && !strategy.accept(page, params)) return;
    const items = strategy.items(page);
    yield* items;
    if (items.length === 0) return;
    const next = strategy.next(page, params);
    if (next === undefined) return;
    params = next;
  }
}

type ItemsOf<Page, Key extends keyof Page> = Page[Key] extends readonly (infer Item)[] | undefined ? Item : never;

/**
 * A list answered in one piece (the API's most common shape): yields the items under
 * `itemsKey` and never asks for a second page.
 *
 * @example
 * ```ts
 * for await (const agent of paginate(() => client.agents.list(), undefined, singlePage<AgentList, 'agents'>('agents'))) console.log(agent.agentId);
 * ```
 */
export function singlePage<Page, Key extends keyof Page, Params = undefined>(itemsKey: Key): PageStrategy<Params, Page, ItemsOf<Page, Key>> {
  return {
    items: (page) => (page[itemsKey] as readonly ItemsOf<Page, Key>[] | undefined) ?? [],
    next: () => undefined,
  };
}

interface NumberedPage {
  readonly total?: number | undefined;
  readonly page?: number | undefined;
  readonly pageSize?: number | undefined;
}

/**
 * `page`/`pageSize` in, `{ total, page, pageSize }` out. Without a `total` in the answer the list
 * is treated as complete: the server did not page it. A page whose `page` is not the one asked for
 * ends the walk.
 *
 * @example
 * ```ts
 * const strategy = byPageNumber<ListWebhookDeliveriesParams, ListWebhookDeliveriesResponse, 'deliveries'>('deliveries');
 * for await (const delivery of paginate((p) => client.webhooks.deliveries(webhookId, p), { pageSize: 50 }, strategy)) console.log(delivery.status);
 * ```
 */
export function byPageNumber<Params extends { page?: number; pageSize?: number }, Page extends NumberedPage, Key extends keyof Page>(
  itemsKey: Key,
): PageStrategy<Params, Page, ItemsOf<Page, Key>> {
  return {
    items: (page) => (page[itemsKey] as readonly ItemsOf<Page, Key>[] | undefined) ?? [],
    accept: (page, params) => page.page === undefined || page.page === (params.page ?? 1),
    next: (page, params) => {
      const items = (page[itemsKey] as readonly unknown[] | undefined) ?? [];
      if (typeof page.total !== 'number') return undefined;
      const current = page.page ?? params.page ?? 1;
      const size = page.pageSize ?? params.pageSize ?? items.length;
      if (size <= 0 || current * size >= page.total) return undefined;
      return { ...params, page: current + 1, pageSize: size };
    },
  };
}

interface ScimPage<Item> {
  readonly totalResults: number;
  readonly startIndex: number;
  readonly itemsPerPage: number;
  readonly Resources: readonly Item[];
}

/**
 * SCIM 2.0 lists: 1-based `startIndex` and `count` in, `totalResults` out. The next page starts
 * after the users just read, so a short page does not skip anyone.
 *
 * @example
 * ```ts
 * const users = scim.users;
 * for await (const user of paginate((p) => users.list(p), { count: 100 }, byStartIndex<ListScimUsersParams, ScimUser>())) console.log(user.userName);
 * ```
 */
export function byStartIndex<Params extends { startIndex?: number; count?: number }, Item>(): PageStrategy<Params, ScimPage<Item>, Item> {
  return {
    items: (page) => page.Resources ?? [],
    accept: (page, params) => page.startIndex === undefined || page.startIndex === (params.startIndex ?? 1),
    next: (page, params) => {
      const read = (page.Resources ?? []).length;
      const nextIndex = (page.startIndex ?? params.startIndex ?? 1) + read;
      if (read === 0 || nextIndex > page.totalResults) return undefined;
      return { ...params, startIndex: nextIndex };
    },
  };
}

/**
 * Cursor lists: the answer names the cursor of the next page, passed back as `cursor`. A missing
 * or repeated cursor ends the walk. (No Grantex list uses cursors today.)
 *
 * @example
 * ```ts
 * type EventPage = { readonly events: readonly string[]; readonly nextCursor?: string };
 * const strategy = byCursor<{ cursor?: string }, EventPage, 'events'>('events', (page) => page.nextCursor);
 * ```
 */
export function byCursor<Params extends { cursor?: string }, Page, Key extends keyof Page>(
  itemsKey: Key,
  nextCursor: (page: Page) => string | null | undefined,
): PageStrategy<Params, Page, ItemsOf<Page, Key>> {
  return {
    items: (page) => (page[itemsKey] as readonly ItemsOf<Page, Key>[] | undefined) ?? [],
    next: (page, params) => {
      const cursor = nextCursor(page);
      if (!cursor || cursor === params.cursor) return undefined;
      return { ...params, cursor };
    },
  };
}
