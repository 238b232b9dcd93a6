// The layers under the SDK, on their own: the generated operation on the generated ky client.
// The client benchmark compares the SDK against it to show what the SDK's own layer costs.
export { createClient, createConfig } from '../generated/client/index.js';
export { getAgent } from '../generated/sdk.gen.js';
