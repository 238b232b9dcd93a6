import { describe, expect, it } from 'vitest';

import { AuthorizedFetchError, createAuthorizedFetch, type AuthorizedFetchErrorCode } from '../../src/vault/index.js';
import { GrantexConfigurationError } from '../../src/errors.js';
import { BASE_URL, GRANT_TOKEN, rejection, scriptedNetwork } from './support.js';

const ALLOWED = ['https://api.github.com', 'https://xn--bcher-kva.example', 'http://127.0.0.1:8080'];

/** Sends one request to `url` and expects a refusal with `code` before anything reached the network. */
async function expectRefused(url: string | URL | Request, code: AuthorizedFetchErrorCode) {
  const net = scriptedNetwork();
  const gh = createAuthorizedFetch({ grantToken: GRANT_TOKEN, service: 'github', allowedOrigins: ALLOWED, baseUrl: BASE_URL, fetch: net.fetch });
  const error = await rejection(gh(url));
  expect(error).toBeInstanceOf(AuthorizedFetchError);
  expect((error as AuthorizedFetchError).code).toBe(code);
  expect(net.exchanges).toHaveLength(0);
  expect(net.upstreamCalls).toHaveLength(0);
  return error as AuthorizedFetchError;
}

async function expectSent(url: string | URL | Request, sentTo: string) {
  const net = scriptedNetwork();
  const gh = createAuthorizedFetch({ grantToken: GRANT_TOKEN, service: 'github', allowedOrigins: ALLOWED, baseUrl: BASE_URL, fetch: net.fetch });
  await gh(url);
  expect(net.upstreamCalls.map((call) => call.url)).toEqual([sentTo]);
}

describe('origins: only an exact allowed origin gets the credential', () => {
  it('the allowed origin itself, in any letter case and with its default port spelled out', async () => {
    await expectSent('https://api.github.com/user', 'https://api.github.com/user');
    await expectSent('HTTPS://API.GitHub.com/user', 'https://api.github.com/user');
    await expectSent('https://api.github.com:443/user', 'https://api.github.com/user');
    await expectSent(new URL('https://api.github.com/user'), 'https://api.github.com/user');
    await expectSent(new Request('https://api.github.com/user'), 'https://api.github.com/user');
    await expectSent('https://xn--bcher-kva.example/list', 'https://xn--bcher-kva.example/list');
    await expectSent('http://127.0.0.1:8080/loopback', 'http://127.0.0.1:8080/loopback');
  });

  it('another host: refused (ORIGIN_NOT_ALLOWED)', async () => {
    const error = await expectRefused('https://evil.example/user', 'ORIGIN_NOT_ALLOWED');
    expect(error.message).toContain('https://evil.example');
  });

  it('a subdomain of an allowed host: refused (ORIGIN_NOT_ALLOWED)', async () => {
    await expectRefused('https://evil.api.github.com/user', 'ORIGIN_NOT_ALLOWED');
  });

  it('the allowed host as a prefix of another domain: refused (ORIGIN_NOT_ALLOWED)', async () => {
    await expectRefused('https://api.github.com.evil.example/user', 'ORIGIN_NOT_ALLOWED');
  });

  it('the allowed host over http: refused (ORIGIN_NOT_ALLOWED)', async () => {
    await expectRefused('http://api.github.com/user', 'ORIGIN_NOT_ALLOWED');
  });

  it('another port: refused (ORIGIN_NOT_ALLOWED, "another port")', async () => {
    const error = await expectRefused('https://api.github.com:8443/user', 'ORIGIN_NOT_ALLOWED');
    expect(error.message).toContain('another port');
    await expectRefused('http://127.0.0.1:8081/x', 'ORIGIN_NOT_ALLOWED');
    await expectRefused('http://127.0.0.1/x', 'ORIGIN_NOT_ALLOWED');
  });

  it('userinfo in the URL: refused (URL_USERINFO), also the "allowed host as user name" trick', async () => {
    await expectRefused('https://user:pass@api.github.com/user', 'URL_USERINFO');
    await expectRefused('https://user@api.github.com/user', 'URL_USERINFO');
    await expectRefused('https://api.github.com@evil.example/user', 'URL_USERINFO');
    await expectRefused('https://api.github.com:443@evil.example/', 'URL_USERINFO');
    await expectRefused(new URL('https://u:p@api.github.com/'), 'URL_USERINFO');
  });

  it('a trailing-dot host: refused (HOST_NOT_CANONICAL), as a string, a URL and a Request', async () => {
    await expectRefused('https://api.github.com./user', 'HOST_NOT_CANONICAL');
    await expectRefused(new URL('https://api.github.com./user'), 'HOST_NOT_CANONICAL');
    await expectRefused(new Request('https://api.github.com./user'), 'HOST_NOT_CANONICAL');
  });

  it('an IDN look-alike in Unicode (Cyrillic а for Latin a): refused (HOST_NOT_CANONICAL)', async () => {
    await expectRefused('https://\u0430pi.github.com/user', 'HOST_NOT_CANONICAL');
  });

  it('the punycode of a look-alike: refused (ORIGIN_NOT_ALLOWED)', async () => {
    expect(new URL('https://\u0430pi.github.com/').hostname).toBe('xn--pi-6kc.github.com');
    await expectRefused('https://xn--pi-6kc.github.com/user', 'ORIGIN_NOT_ALLOWED');
  });

  it('an allowed IDN written in Unicode while the allowed origin is punycode: refused (HOST_NOT_CANONICAL)', async () => {
    expect(new URL('https://b\u00fccher.example/').origin).toBe('https://xn--bcher-kva.example');
    await expectRefused('https://b\u00fccher.example/list', 'HOST_NOT_CANONICAL');
  });

  it('full-width letters that the URL parser folds into the allowed host: refused (HOST_NOT_CANONICAL)', async () => {
    expect(new URL('https://\uff41pi.github.com/').hostname).toBe('api.github.com');
    await expectRefused('https://\uff41pi.github.com/user', 'HOST_NOT_CANONICAL');
    await expectRefused('https://api\u3002github.com/user', 'HOST_NOT_CANONICAL');
  });

  it('percent-escapes and short IP forms in the host: refused (HOST_NOT_CANONICAL)', async () => {
    expect(new URL('https://api.git%68ub.com/').hostname).toBe('api.github.com');
    await expectRefused('https://api.git%68ub.com/user', 'HOST_NOT_CANONICAL');
    expect(new URL('http://127.1:8080/').hostname).toBe('127.0.0.1');
    await expectRefused('http://127.1:8080/x', 'HOST_NOT_CANONICAL');
    await expectRefused('http://2130706433:8080/x', 'HOST_NOT_CANONICAL');
  });

  it('a backslash that ends the host early: the real host decides (ORIGIN_NOT_ALLOWED)', async () => {
    expect(new URL('https://evil.example\\@api.github.com/').hostname).toBe('evil.example');
    await expectRefused('https://evil.example\\@api.github.com/', 'ORIGIN_NOT_ALLOWED');
  });

  it('a tab or line break inside the host: refused (HOST_NOT_CANONICAL)', async () => {
    expect(new URL('https://api.git\thub.com/').hostname).toBe('api.github.com');
    await expectRefused('https://api.git\thub.com/user', 'HOST_NOT_CANONICAL');
    await expectRefused('https://api.git\nhub.com/user', 'HOST_NOT_CANONICAL');
  });

  it('relative, scheme-relative, slash-less and non-http URLs: refused (URL_INVALID)', async () => {
    await expectRefused('/user/repos', 'URL_INVALID');
    await expectRefused('//api.github.com/user', 'URL_INVALID');
    await expectRefused('https:api.github.com/user', 'URL_INVALID');
    await expectRefused('https:/api.github.com/user', 'URL_INVALID');
    await expectRefused(' https://api.github.com/user', 'URL_INVALID');
    await expectRefused('ftp://api.github.com/user', 'URL_INVALID');
    await expectRefused('data:text/plain,hello', 'URL_INVALID');
  });
});

describe('allowedOrigins: checked at creation', () => {
  const create = (allowedOrigins: unknown[]) => () => createAuthorizedFetch({ grantToken: GRANT_TOKEN, service: 'github', allowedOrigins: allowedOrigins as string[], baseUrl: BASE_URL });

  it('accepts https origins, loopback http origins, and a trailing slash', () => {
    expect(create(['https://api.github.com', 'https://api.github.com/', 'http://localhost:3000', 'http://127.0.0.1:9', 'http://[::1]:9'])).not.toThrow();
  });

  it('refuses plain http for a non-loopback host, paths, queries, userinfo, trailing dots, Unicode hosts and non-strings', () => {
    for (const origin of [
      'http://api.github.com',
      'http://localhost.evil.example',
      'https://api.github.com/v3',
      'https://api.github.com?x=1',
      'https://api.github.com#x',
      'https://u:p@api.github.com',
      'https://api.github.com.',
      'https://b\u00fccher.example',
      'https://\u0430pi.github.com',
      'api.github.com',
      'wss://api.github.com',
      42,
    ]) {
      expect(create([origin]), String(origin)).toThrow(GrantexConfigurationError);
    }
  });
});
