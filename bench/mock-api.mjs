// The mock API of the HTTP benchmark, run in its own process (forked by client.bench.mjs) so that
// the client under test and the server do not share an event loop or a CPU profile, as in real use.
// It answers GET /v1/agents/{id} and POST /v1/agents with a fixed agent, and reports its port to
// the parent over IPC.
import { createServer } from 'node:http';

const AGENT = JSON.stringify({
  agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  did: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  developerId: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y',
  name: 'live-calendar-agent',
  description: 'Reads the calendar',
  scopes: ['calendar:read', 'calendar:write', 'github:read'],
  status: 'active',
  createdAt: '2026-11-22T13:07:39.283Z',
  updatedAt: '2026-11-22T13:07:39.283Z',
});

let requests = 0;
const server = createServer((request, response) => {
  requests++;
  if (request.method === 'GET' && request.url?.startsWith('/v1/agents/')) {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(AGENT) }).end(AGENT);
  } else if (request.method === 'POST' && request.url === '/v1/agents') {
    // Read the body, as a real server must, before answering.
    request.resume();
    request.on('end', () => response.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(AGENT) }).end(AGENT));
  } else {
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not found","code":"NOT_FOUND"}');
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('message', (message) => {
  if (message === 'stats') process.send?.({ requests });
  if (message === 'stop') server.close(() => process.exit(0));
});
// The parent going away ends the server too, so a crashed benchmark leaves nothing running.
process.on('disconnect', () => process.exit(0));
