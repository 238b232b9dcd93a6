import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Grantex, type GrantexOptions, type Logger } from '../../src/index.js';
import { AGENT } from '../support/fixtures.js';
import { HostileServer, reply } from '../support/hostile-server.js';

// Loggers and hooks observe a call; whatever they do, a call the server answered with 200 succeeds.
const API_KEY = 'gx_live_observers_key_0123456789abcdefghijklm';

let server: HostileServer;
beforeAll(async () => {
  server = await HostileServer.start();
});
afterAll(async () => {
  await server.close();
});

function client(options: GrantexOptions = {}): Grantex {
  return new Grantex({ apiKey: API_KEY, baseUrl: server.url, maxRetries: 0, ...options });
}

/** A logger whose every method throws, counting the lines it was handed. */
function throwingLogger(): { logger: Logger; calls: string[] } {
  const calls: string[] = [];
  const fail = (level: string) => (message: string) => {
    calls.push(`${level} ${message}`);
    throw new Error('log sink closed');
  };
  return { logger: { debug: fail('debug'), info: fail('info'), warn: fail('warn'), error: fail('error') }, calls };
}

describe('a throwing logger never fails a call', () => {
  it('debug: the per-attempt line throws, the call still returns the agent', async () => {
    const { logger, calls } = throwingLogger();
    server.script(reply(200, AGENT));
    const agent = await client({ logger, logLevel: 'debug' }).agents.get('ag_1');
    expect(agent.agentId).toBe('ag_1');
    expect(calls.some((line) => line.startsWith('debug'))).toBe(true);
    expect(server.seen).toHaveLength(1);
  });

  it('info: the retry line throws, the retry still happens and the call succeeds', async () => {
    const { logger, calls } = throwingLogger();
    server.script(reply(503, { message: 'busy', code: 'INTERNAL_ERROR' }, { 'retry-after': '0' }), reply(200, AGENT));
    const agent = await client({ logger, logLevel: 'info', maxRetries: 1 }).agents.get('ag_1');
    expect(agent.agentId).toBe('ag_1');
    expect(calls.some((line) => line.startsWith('info') && line.includes('retry 1'))).toBe(true);
    expect(server.seen).toHaveLength(2);
  });

  it('warn: the validation warning line throws, the data is still returned', async () => {
    const { logger, calls } = throwingLogger();
    server.script(reply(200, { ...AGENT, status: 'retired' }));
    const agent = await client({ logger, logLevel: 'warn', validation: 'warn' }).agents.get('ag_1');
    expect(agent.status).toBe('retired');
    expect(calls).toHaveLength(1);
  });

  it('a hook that throws is reported to the logger, and a logger that throws then changes nothing', async () => {
    const { logger, calls } = throwingLogger();
    server.script(reply(200, AGENT));
    const agent = await client({
      logger,
      logLevel: 'warn',
      onRequest: () => {
        throw new Error('tracer down');
      },
      onResponse: () => {
        throw new Error('tracer down');
      },
    }).agents.get('ag_1');
    expect(agent.agentId).toBe('ag_1');
    expect(calls.filter((line) => line.includes('hook threw'))).toHaveLength(2);
    expect(server.seen).toHaveLength(1);
  });

  it('an onValidationWarning that throws is guarded like the other hooks', async () => {
    const lines: string[] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, warn: (m) => lines.push(m), error: () => {} };
    server.script(reply(200, { ...AGENT, status: 'retired' }));
    const agent = await client({
      logger,
      validation: 'warn',
      onValidationWarning: () => {
        throw new Error('metrics down');
      },
    }).agents.get('ag_1');
    expect(agent.status).toBe('retired');
    expect(lines).toEqual([expect.stringContaining('onValidationWarning hook threw')]);
  });

  it('a logger that throws is still a logger: lines below the level are not handed to it', async () => {
    const { logger, calls } = throwingLogger();
    server.script(reply(200, AGENT));
    await client({ logger, logLevel: 'error' }).agents.get('ag_1');
    expect(calls).toEqual([]);
  });
});
