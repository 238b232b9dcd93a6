import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import { Grantex, GrantexResponseValidationError, type GrantexOptions, type Logger } from '../../src/index.js';
import { AGENT } from '../support/fixtures.js';

// A server that puts a credential into a field the schema does not allow: the validator quotes the
// value it refused, so every surface of the resulting error must be scrubbed.
const API_KEY = 'gx_live_validation_key_0123456789abcdefghijklmn';
const GRANT_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.dmFsaWRhdGlvbi1zZWNyZXQ';

function answering(body: unknown): typeof fetch {
  return async () => Response.json(body);
}

function client(body: unknown, options: GrantexOptions = {}): Grantex {
  return new Grantex({ apiKey: API_KEY, baseUrl: 'https://api.example.test', maxRetries: 0, logLevel: 'off', fetch: answering(body), ...options });
}

function surfaces(error: unknown): string {
  const record = error as Error & { issues?: unknown };
  return [String(error), record.message, record.stack ?? '', inspect(error, { depth: 8, showHidden: true }), JSON.stringify(error), JSON.stringify(record.issues)].join('\n');
}

function recorder(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const push = (message: string) => lines.push(message);
  return { logger: { debug: push, info: push, warn: push, error: push }, lines };
}

describe('validation issues never carry a credential', () => {
  it('strict: an API key echoed in a field is scrubbed from the message, issues, JSON, stack and inspect', async () => {
    const error = await client({ ...AGENT, status: API_KEY }).agents.get('ag_1').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GrantexResponseValidationError);
    const issue = (error as GrantexResponseValidationError).issues[0]!;
    expect(issue.path).toBe('status');
    // The issue still says what was wrong, with the value replaced.
    expect(issue.message).toContain('[redacted]');
    expect(surfaces(error)).not.toContain(API_KEY);
  });

  it('strict: a JSON-escaped spelling of the key is scrubbed too', async () => {
    const quoted = 'gx_live_"quoted"_key_0123456789';
    const error = await new Grantex({ apiKey: quoted, baseUrl: 'https://api.example.test', maxRetries: 0, fetch: answering({ ...AGENT, status: quoted, scopes: JSON.stringify(quoted) }) })
      .agents.get('ag_1')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrantexResponseValidationError);
    const text = surfaces(error);
    expect(text).not.toContain(quoted);
    expect(text).not.toContain(JSON.stringify(quoted).slice(1, -1));
  });

  it('strict: a grant token the call sent and the server echoed back is scrubbed', async () => {
    const verdict = { valid: true, grantId: 'grnt_1', scopes: [], principal: 'user_1', agent: 'did:grantex:ag_1', expiresAt: GRANT_TOKEN };
    const error = await client(verdict).tokens.verify(GRANT_TOKEN).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrantexResponseValidationError);
    expect((error as GrantexResponseValidationError).issues[0]!.path).toBe('expiresAt');
    expect(surfaces(error)).not.toContain(GRANT_TOKEN);
  });

  it("warn: the logger's warn line carries no key", async () => {
    const { logger, lines } = recorder();
    const agent = await client({ ...AGENT, status: API_KEY }, { validation: 'warn', logger, logLevel: 'warn' }).agents.get('ag_1');
    // The data is still returned as the server sent it: the caller asked for it.
    expect(agent.agentId).toBe('ag_1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('status');
    expect(lines[0]).toContain('[redacted]');
    expect(lines.join('\n')).not.toContain(API_KEY);
  });

  it('warn: the error handed to onValidationWarning carries no key on any surface', async () => {
    const warnings: GrantexResponseValidationError[] = [];
    await client({ ...AGENT, status: API_KEY }, { validation: 'warn', onValidationWarning: (warning) => warnings.push(warning) }).agents.get('ag_1');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.issues[0]!.path).toBe('status');
    expect(surfaces(warnings[0])).not.toContain(API_KEY);
  });
});
