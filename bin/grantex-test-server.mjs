#!/usr/bin/env node
// `grantex-test-server`: a local, in-memory Grantex over HTTP, from the installed package.
import { createTestServer } from '../dist/testing.mjs';
import { run } from './cli.mjs';

await run(createTestServer);
