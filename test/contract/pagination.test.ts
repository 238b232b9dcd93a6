import { describe, expect, it } from 'vitest';

import { SAMPLE_GRANT_TOKEN } from './operations.js';
import { mockClient } from './support.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

type Client = ReturnType<typeof mockClient>['client'];

// Each list and its walker against the mock. The mock's lists carry no page metadata, so every
// walker must read exactly one page and yield exactly that page's items.
const lists: Array<[string, (c: Client) => PromiseLike<readonly unknown[]>, (c: Client) => AsyncIterable<unknown>]> = [
  ['agents', (c) => c.agents.list().then((p) => p.agents), (c) => c.agents.listAll()],
  ['grants', (c) => c.grants.list({ status: 'active' }).then((p) => p.grants), (c) => c.grants.listAll({ status: 'active' })],
  ['vault', (c) => c.vault.list().then((p) => p.credentials), (c) => c.vault.listAll()],
  ['audit', (c) => c.audit.list().then((p) => p.entries), (c) => c.audit.listAll()],
  ['policies', (c) => c.policies.list().then((p) => p.policies), (c) => c.policies.listAll()],
  ['webhooks', (c) => c.webhooks.list().then((p) => p.webhooks), (c) => c.webhooks.listAll()],
  ['anomalies', (c) => c.anomalies.list().then((p) => p.anomalies), (c) => c.anomalies.listAll()],
  ['anomaly alerts', (c) => c.anomalies.alerts.list().then((p) => p.data), (c) => c.anomalies.alerts.listAll()],
  ['anomaly rules', (c) => c.anomalies.rules.list().then((p) => p.rules), (c) => c.anomalies.rules.listAll()],
  ['anomaly channels', (c) => c.anomalies.channels.list().then((p) => p.channels), (c) => c.anomalies.channels.listAll()],
  ['sso connections', (c) => c.sso.connections.list().then((p) => p.connections), (c) => c.sso.connections.listAll()],
  [
    'scim users',
    (c) => c.scim.withToken(SAMPLE_GRANT_TOKEN).users.list().then((p) => p.Resources),
    (c) => c.scim.withToken(SAMPLE_GRANT_TOKEN).users.listAll(),
  ],
];

describe('listAll walkers against the mock', () => {
  it.each(lists)('%s: one request, the same items as list()', async (_name, list, listAll) => {
    const first = mockClient();
    const page = await list(first.client);
    const walker = mockClient();
    const all = await collect(listAll(walker.client));
    expect(all).toEqual(page);
    expect(all.length).toBeGreaterThan(0);
    expect(walker.operations).toHaveLength(1);
  });

  it('webhook deliveries: a server that answers page 1 to every page is read once, without duplicates', async () => {
    // The mock always returns its example: total 6, page 1, pageSize 3.
    const { client, operations } = mockClient();
    const first = await client.webhooks.deliveries('wh_1', { pageSize: 3 });
    expect(first.total).toBeGreaterThan(first.deliveries.length);
    const all = await collect(client.webhooks.allDeliveries('wh_1', { pageSize: 3 }));
    expect(all).toEqual(first.deliveries);
    // One request for the first page, one for page 2 (answered as page 1 again and discarded).
    expect(operations).toEqual(['listWebhookDeliveries', 'listWebhookDeliveries', 'listWebhookDeliveries']);
  });
});
