// The command line of `grantex-test-server`, shared by the published bin (which loads the built
// package) and scripts/test-server.mjs (which loads the sources).
import { parseArgs } from 'node:util';

const USAGE = `Usage: grantex-test-server [--port 3001] [--host 127.0.0.1] [--api-key KEY] [--sandbox-api-key KEY] [--no-rate-limits]

Starts a local, in-memory Grantex server and prints, on standard output:
  GRANTEX_BASE_URL=http://…         the server's URL
  GRANTEX_API_KEY=gx_live_…         a live key (authorization requests wait for consent)
  GRANTEX_SANDBOX_API_KEY=gx_test_… a sandbox key (authorization requests are approved at once)
then serves until it is stopped (Ctrl-C, SIGTERM). State lives in memory only.

  --port             TCP port (default 3001; 0 picks a free one)
  --host             interface to listen on (default 127.0.0.1)
  --api-key          use this live key instead of a random one
  --sandbox-api-key  use this sandbox key instead of a random one
  --no-rate-limits   count requests in the X-RateLimit-* headers, but never answer 429
`;

/**
 * Runs the command with `createTestServer` from either the package or the sources.
 * Resolves when the server is listening; stops it on SIGINT and SIGTERM.
 */
export async function run(createTestServer, argv = process.argv.slice(2)) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '3001' },
        host: { type: 'string', default: '127.0.0.1' },
        'api-key': { type: 'string' },
        'sandbox-api-key': { type: 'string' },
        'no-rate-limits': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535\n`);
    process.exit(2);
  }
  let server;
  try {
    server = createTestServer({
      ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
      ...(values['sandbox-api-key'] ? { sandboxApiKey: values['sandbox-api-key'] } : {}),
      rateLimits: !values['no-rate-limits'],
    });
    await server.listen(port, values.host);
  } catch (error) {
    process.stderr.write(`grantex-test-server: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`GRANTEX_BASE_URL=${server.url}\nGRANTEX_API_KEY=${server.apiKey}\nGRANTEX_SANDBOX_API_KEY=${server.sandboxApiKey}\n`);
  const stop = async () => {
    await server.close().catch(() => {});
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
