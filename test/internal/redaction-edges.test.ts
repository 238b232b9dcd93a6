import { describe, expect, it } from 'vitest';

import { Grantex, type GrantexError, type RequestEvent, type ResponseEvent } from '../../src/index.js';

// Redaction cases each of which a small change to the redaction code would let through.
const API_KEY = 'gx_live_redaction_edges_key_0123456789abcdef';

describe('redaction edges', () => {
  it('a key echoed as an object key in an error body is scrubbed from the body', async () => {
    const body = { message: 'rejected', code: 'BAD_REQUEST', details: { [API_KEY]: 'was not accepted' }, list: [{ [`prefix-${API_KEY}`]: 1 }] };
    const client = new Grantex({ apiKey: API_KEY, baseUrl: 'https://api.example.test', maxRetries: 0, fetch: async () => Response.json(body, { status: 400 }) });
    const error = (await client.agents.get('ag_1').catch((caught: unknown) => caught)) as GrantexError & { body: unknown };
    expect(error.code).toBe('BAD_REQUEST');
    const text = JSON.stringify(error.body) + JSON.stringify(error);
    expect(text).not.toContain(API_KEY);
    expect(error.body).toMatchObject({ details: { '[redacted]': 'was not accepted' } });
  });

  it('a path secret that URL-encoding changes is scrubbed, in its encoded form, from hook URLs', async () => {
    // '/', '+', '=' and a space are encoded in a path segment, so the URL holds another spelling.
    const token = 'email/token+with=chars 0123456789';
    const events: (RequestEvent | ResponseEvent)[] = [];
    const seen: string[] = [];
    await Grantex.confirmEmailVerification(token, {
      baseUrl: 'https://api.example.test',
      maxRetries: 0,
      fetch: async (input) => {
        seen.push((input as Request).url);
        return Response.json({ verified: true, message: 'ok' });
      },
      validation: 'off',
      onRequest: (event) => events.push(event),
      onResponse: (event) => events.push(event),
    });
    // The request itself carries the token, encoded.
    expect(seen[0]).toContain(encodeURIComponent(token));
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event.url).toBe('https://api.example.test/v1/signup/verify/[redacted]');
      expect(JSON.stringify(event)).not.toContain(encodeURIComponent(token));
    }
  });
});
