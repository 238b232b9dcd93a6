import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { operations } from '../../generated/operations.gen.js';
import { testingOperations } from '../../generated/testing-examples.gen.js';
import { Grantex } from '../../src/index.js';

/**
 * When the spec marks a JSON request body required, the server reads it without a default: a
 * request with no body answers 500, one with `{}` is accepted. So the SDK sends `{}` (with its
 * Content-Type) when the caller gives no field, for every such operation.
 */
interface Captured {
  readonly method: string;
  readonly contentType: string | null;
  readonly body: string;
}

function recordingClient(operationId: string) {
  const requests: Captured[] = [];
  const answer = testingOperations.find((o) => o.operationId === operationId)!;
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push({ method: request.method, contentType: request.headers.get('content-type'), body: await request.text() });
    return new Response(JSON.stringify(answer.example), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
  const client = new Grantex({ apiKey: 'gx_test_required_body_0123456789', baseUrl: 'http://api.test', fetch: fetchImpl as typeof fetch, maxRetries: 0 });
  return { client, requests };
}

type Row = { readonly id: string; readonly body?: boolean; readonly requiredBody?: boolean };
const rows = Object.values(operations as Record<string, Row>);

describe('required JSON bodies', () => {
  it('policies.update(id, {}) and policies.update(id) send {} with Content-Type', async () => {
    const { client, requests } = recordingClient('updatePolicy');
    await client.policies.update('pol_1', {});
    await client.policies.update('pol_1');
    expect(requests).toEqual([
      { method: 'PATCH', contentType: 'application/json', body: '{}' },
      { method: 'PATCH', contentType: 'application/json', body: '{}' },
    ]);
  });

  it('policies.notifySync() and policies.notifySync({}) send {} with Content-Type', async () => {
    const { client, requests } = recordingClient('receivePolicySyncWebhook');
    await client.policies.notifySync();
    await client.policies.notifySync({});
    expect(requests.map((r) => [r.contentType, r.body])).toEqual([
      ['application/json', '{}'],
      ['application/json', '{}'],
    ]);
  });

  it('a field the caller gives is sent as before', async () => {
    const { client, requests } = recordingClient('updatePolicy');
    await client.policies.update('pol_1', { priority: 5 });
    expect(requests[0]!.body).toBe('{"priority":5}');
  });

  it('an optional body stays absent when the caller gives nothing', async () => {
    const optional = rows.find((r) => r.body && !r.requiredBody);
    expect(optional?.id).toBeDefined();
    const { client, requests } = recordingClient('acknowledgeAnomalyAlert');
    await client.anomalies.alerts.acknowledge('alert_1');
    expect(requests[0]).toEqual({ method: 'POST', contentType: null, body: '' });
  });

  it('the operation table marks exactly the operations whose spec body is required', () => {
    const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
      paths: Record<string, Record<string, { operationId?: string; requestBody?: { required?: boolean; $ref?: string } }>>;
    };
    const required = new Set<string>();
    for (const item of Object.values(spec.paths)) {
      for (const operation of Object.values(item)) {
        if (operation?.operationId && operation.requestBody?.required === true) required.add(operation.operationId);
      }
    }
    const marked = new Set(rows.filter((r) => r.requiredBody).map((r) => r.id));
    expect([...marked].sort()).toEqual(rows.filter((r) => required.has(r.id) && r.body).map((r) => r.id).sort());
    // The ones the server broke on: every field optional, so a caller can pass nothing.
    for (const id of ['updatePolicy', 'receivePolicySyncWebhook', 'updateAgent', 'updateMe', 'updateSsoConnection']) expect(marked).toContain(id);
  });
});
