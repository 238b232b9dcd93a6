// Compiled by scripts/ts-consumer-matrix.mjs in a project where none of the agent frameworks is
// installed: the main entry (and the helper entries) must compile without them, with every
// declaration checked.
import { createGrantVerifier, Grantex, isGrantexError } from '@grantex/sdk';
import { createEnforcer } from '@grantex/sdk/enforce';

export async function listAgents(apiKey: string): Promise<number> {
  const client = new Grantex({ apiKey });
  try {
    const { agents } = await client.agents.list();
    return agents.length;
  } catch (error) {
    if (isGrantexError(error)) return -1;
    throw error;
  }
}

export const verifier = createGrantVerifier({ jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', developerId: 'dev_1' });
export const enforcer = createEnforcer({ jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', developerId: 'dev_1', manifests: [] });
