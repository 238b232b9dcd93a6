import { describe, expect, it } from 'vitest';

import { GrantexInvalidArgumentError } from '../../src/errors.js';
import { type EventStreamOptions, lazyEventStream, openEventSocket, openEventStream } from '../../src/events/index.js';
import { checkOptions, MAX_TIMER_DELAY } from '../../src/events/options.js';
import { backoffDelay } from '../../src/events/session.js';
import { config, fakeFetch, streamingAnswer } from './support.js';

const rejects = (options: unknown): void => {
  expect(() => checkOptions(options as EventStreamOptions)).toThrow(GrantexInvalidArgumentError);
};
const accepts = (options: unknown): void => {
  expect(() => checkOptions(options as EventStreamOptions)).not.toThrow();
};

describe('options are checked before anything is opened', () => {
  it('types: at least one, none empty, none with a comma', () => {
    accepts({});
    accepts({ types: ['grant.created'] });
    accepts({ types: ['grant.created', 'a.type.from.the.future'] });
    rejects({ types: [] });
    rejects({ types: [''] });
    rejects({ types: ['grant.created,grant.revoked'] });
    rejects({ types: 'grant.created' });
    rejects({ types: [1] });
  });

  it('types: duplicates are sent once', () => {
    expect(checkOptions({ types: ['grant.created', 'grant.created'] }).types).toEqual(['grant.created']);
  });

  it(`idleTimeout: an integer from 1 to ${MAX_TIMER_DELAY} (setTimeout's limit), default 60 000`, () => {
    expect(checkOptions().idleTimeout).toBe(60_000);
    accepts({ idleTimeout: 1 });
    rejects({ idleTimeout: 0 });
    accepts({ idleTimeout: MAX_TIMER_DELAY });
    rejects({ idleTimeout: MAX_TIMER_DELAY + 1 });
    rejects({ idleTimeout: 1.5 });
    rejects({ idleTimeout: Number.NaN });
    rejects({ idleTimeout: Infinity });
    rejects({ idleTimeout: '60000' });
  });

  it('reconnect: defaults, false, and each bound', () => {
    expect(checkOptions()).toMatchObject({ maxAttempts: 10, initialDelay: 1_000, maxDelay: 30_000 });
    expect(checkOptions({ reconnect: false }).maxAttempts).toBe(0);
    expect(checkOptions({ reconnect: { initialDelay: 45_000 } }).maxDelay).toBe(45_000);
    accepts({ reconnect: { maxAttempts: 0 } });
    rejects({ reconnect: { maxAttempts: -1 } });
    accepts({ reconnect: { maxAttempts: Infinity } });
    rejects({ reconnect: { maxAttempts: 1.5 } });
    accepts({ reconnect: { initialDelay: 1 } });
    rejects({ reconnect: { initialDelay: 0 } });
    accepts({ reconnect: { initialDelay: MAX_TIMER_DELAY, maxDelay: MAX_TIMER_DELAY } });
    rejects({ reconnect: { initialDelay: MAX_TIMER_DELAY + 1 } });
    accepts({ reconnect: { initialDelay: 100, maxDelay: 100 } });
    rejects({ reconnect: { initialDelay: 100, maxDelay: 99 } });
    rejects({ reconnect: { maxDelay: MAX_TIMER_DELAY + 1 } });
    rejects({ reconnect: 'yes' });
    rejects({ reconnect: null });
  });

  it('onGap must be a function', () => {
    accepts({ onGap: () => undefined });
    rejects({ onGap: 'log' });
  });

  it('every way to open a stream throws synchronously and sends nothing', () => {
    const { fetch, calls } = fakeFetch(streamingAnswer(() => undefined));
    const bad = { types: [] } as EventStreamOptions;
    expect(() => openEventStream(config(fetch), bad)).toThrow(GrantexInvalidArgumentError);
    expect(() => openEventSocket({ url: 'https://api.grantex.test/v1/events/ws', headers: {}, secrets: [], webSocket: () => { throw new Error('not called'); } }, bad)).toThrow(
      GrantexInvalidArgumentError,
    );
    let opened = false;
    expect(() => lazyEventStream(bad, async () => ((opened = true), openEventStream(config(fetch))))).toThrow(GrantexInvalidArgumentError);
    expect(opened).toBe(false);
    expect(calls).toHaveLength(0);
  });
});

describe('backoff', () => {
  const settings = { initialDelay: 1_000, maxDelay: 30_000 };

  it('doubles from initialDelay, and jitter keeps each wait within 50–100 % of it', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(settings, attempt, 0, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(settings, attempt, 0, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
  });

  it('is capped at maxDelay, even after very many attempts', () => {
    expect(backoffDelay(settings, 6, 0, () => 1)).toBe(30_000);
    expect(backoffDelay(settings, 10_000, 0, () => 1)).toBe(30_000);
    expect(backoffDelay({ initialDelay: MAX_TIMER_DELAY, maxDelay: MAX_TIMER_DELAY }, 5, 0, () => 1)).toBe(MAX_TIMER_DELAY);
  });

  it("never waits less than the server's Retry-After, nor longer than a timer can", () => {
    expect(backoffDelay(settings, 1, 5_000, () => 1)).toBe(5_000);
    expect(backoffDelay(settings, 1, 500, () => 1)).toBe(1_000);
    expect(backoffDelay(settings, 1, Number.MAX_SAFE_INTEGER, () => 1)).toBe(MAX_TIMER_DELAY);
  });
});
