// createTestServer's server: the pieces put together (options, state, routes, controls) and the
// lifetime around them (listen, close, reset). Each piece lives in its own module.
import { GrantexConfigurationError, GrantexInvalidArgumentError } from '../errors.js';
import { testCommerce } from './commerce/index.js';
import { billingControl, dnsControl, ldapControl } from './controls.js';
import { deliveryView } from './deliveries.js';
import type { SocketUpgrade } from './event-socket.js';
import { mintGrantToken } from './mint.js';
import { createHandle } from './router.js';
import { createRuntime } from './runtime.js';
import { builtInDevelopers } from './seed.js';
import { readServerOptions } from './server-options.js';
import type { TestServer, TestServerOptions } from './server-types.js';

export { routeTable } from './route-table.js';
export type { MintGrantTokenClaims, TestBilling, TestDns, TestLdap, TestServer, TestServerOptions, TestWebhookDelivery, TestWebhookEvent } from './server-types.js';

/**
 * Starts an HTTP server for `handle` and resolves once it listens (src/testing/node-listen.ts).
 * Upgrade requests go to `upgrade` with a way to accept them; it resolves with the answer to send
 * when the request was not upgraded.
 */
export type StartNodeServer = (
  handle: (request: Request, env?: unknown) => Promise<Response>,
  port: number,
  hostname: string,
  upgrade: (request: Request, env: unknown, accept: SocketUpgrade | undefined) => Promise<Response>,
) => Promise<{ port: number; close(): Promise<void> }>;

/** Builds a test server; `startNode` serves it over HTTP (absent from the Workers and browser build). */
export function createServer(options: TestServerOptions, startNode: StartNodeServer | undefined): TestServer {
  const settings = readServerOptions(options);
  const runtime = createRuntime(options, settings);
  const { core, clock, feed, deliveries } = runtime;
  const store = () => core.store;
  const developers = builtInDevelopers(options);
  developers.seed(core.store, clock.ms());
  const currentKey = (developerId: string) => core.store.developers.get(developerId)?.apiKey ?? '';

  const handle = createHandle(core, settings.onUnexpectedError, deliveries.deliverDue);
  // An upgrade request runs through the routes like any other; only the socket route accepts it.
  const upgrade = (request: Request, env: unknown, accept: SocketUpgrade | undefined): Promise<Response> => {
    if (accept) core.socketUpgrades.set(request, accept);
    return handle(request, env);
  };

  let listening: { close(): Promise<void> } | undefined;

  const server: TestServer = {
    fetch: (input, init) => handle(input instanceof Request && init === undefined ? input : new Request(input, init)),
    get url() {
      return core.baseUrl();
    },
    get issuer() {
      return options.issuer ?? core.baseUrl();
    },
    get apiKey() {
      return currentKey(developers.liveId);
    },
    get sandboxApiKey() {
      return currentKey(developers.sandboxId);
    },
    get developerId() {
      return developers.liveId;
    },
    get sandboxDeveloperId() {
      return developers.sandboxId;
    },
    clock,
    dns: dnsControl(store),
    ldap: ldapControl(store),
    billing: billingControl(store, clock, () => developers.liveId),
    get deliveries() {
      return Object.freeze(core.store.deliveries.map(deliveryView));
    },
    deliverDue: deliveries.deliverDue,
    jwks: async () => ({ keys: [await core.signer.jwk()] }),
    commerce: testCommerce(() => core.store.commerce, () => clock.ms()),
    mintGrantToken: (claims) => mintGrantToken(core, developers.liveId, claims),
    async listen(port = 0, host = '127.0.0.1') {
      if (listening) throw new GrantexConfigurationError('The test server is already listening; close() it first');
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GrantexInvalidArgumentError('port must be an integer from 0 to 65535');
      if (!startNode) {
        throw new GrantexConfigurationError('listen() is not part of this build of @grantex/sdk/testing (Workers, browsers): serve server.fetch with the runtime\'s own server');
      }
      const started = await startNode(handle, port, host, upgrade);
      listening = started;
      const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      runtime.moveTo(`http://${shownHost}:${started.port}`);
      return core.baseUrl();
    },
    get eventConnections() {
      return feed.count();
    },
    dropEventConnections: () => feed.dropAll(),
    async close() {
      feed.dropAll();
      const current = listening;
      listening = undefined;
      await current?.close();
    },
    reset() {
      runtime.clear();
      developers.seed(core.store, clock.ms());
    },
  };
  const dispose = (Symbol as { asyncDispose?: symbol }).asyncDispose;
  if (dispose) Object.defineProperty(server, dispose, { value: () => server.close() });
  return server;
}
