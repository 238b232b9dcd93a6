import { describe, expect, it } from 'vitest';

import { SAMPLE_GRANT_TOKEN } from './calls.js';
import { mockClient } from './support.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

type Client = ReturnType<typeof mockClient>['client'];

// Each list, awaited for one page and iterated for every item, against the mock. The mock's lists
// carry no page metadata, so iterating must read exactly one page and yield exactly its items.
const lists: Array<[string, (c: Client) => PromiseLike<readonly unknown[]>, (c: Client) => AsyncIterable<unknown>]> = [
  ['agents', (c) => c.agents.list().then((p) => p.agents), (c) => c.agents.list()],
  ['grants', (c) => c.grants.list({ status: 'active' }).then((p) => p.grants), (c) => c.grants.list({ status: 'active' })],
  ['vault', (c) => c.vault.list().then((p) => p.credentials), (c) => c.vault.list()],
  ['audit', (c) => c.audit.list().then((p) => p.entries), (c) => c.audit.list()],
  ['policies', (c) => c.policies.list().then((p) => p.policies), (c) => c.policies.list()],
  ['webhooks', (c) => c.webhooks.list().then((p) => p.webhooks), (c) => c.webhooks.list()],
  ['anomalies', (c) => c.anomalies.list().then((p) => p.anomalies), (c) => c.anomalies.list()],
  ['anomaly alerts', (c) => c.anomalies.alerts.list().then((p) => p.data), (c) => c.anomalies.alerts.list()],
  ['anomaly rules', (c) => c.anomalies.rules.list().then((p) => p.rules), (c) => c.anomalies.rules.list()],
  ['anomaly channels', (c) => c.anomalies.channels.list().then((p) => p.channels), (c) => c.anomalies.channels.list()],
  ['sso connections', (c) => c.sso.connections.list().then((p) => p.connections), (c) => c.sso.connections.list()],
  ['scim users', (c) => c.scim.withToken(SAMPLE_GRANT_TOKEN).users.list().then((p) => p.Resources), (c) => c.scim.withToken(SAMPLE_GRANT_TOKEN).users.list()],
];

describe('lists against the mock: await for a page, for-await for every item', () => {
  it.each(lists)('%s: one request, the same items as the page', async (_name, page, iterate) => {
    const first = mockClient();
    const items = await page(first.client);
    const walker = mockClient();
    const all = await collect(iterate(walker.client));
    expect(all).toEqual(items);
    expect(all.length).toBeGreaterThan(0);
    expect(walker.sent).toHaveLength(1);
  });

  it('webhook deliveries: a server that answers page 1 to every page is read once, without duplicates', async () => {
    // The mock always returns its example: total 6, page 1, pageSize 3.
    const { client, sent } = mockClient();
    const first = await client.webhooks.deliveries('wh_1', { pageSize: 3 });
    expect(first.total).toBeGreaterThan(first.deliveries.length);
    const all = await collect(client.webhooks.deliveries('wh_1', { pageSize: 3 }));
    expect(all).toEqual(first.deliveries);
    // One request for the first page, one for page 2 (answered as page 1 again and discarded).
    expect(sent).toHaveLength(3);
    expect(new URL(sent[2]!.url).searchParams.get('page')).toBe('2');
  });
});
