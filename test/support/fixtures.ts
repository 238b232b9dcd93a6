/** A minimal agent as the server returns it, for tests that script their own responses. */
export const AGENT = {
  agentId: 'ag_1',
  did: 'did:grantex:ag_1',
  developerId: 'dev_1',
  name: 'a',
  description: '',
  scopes: ['x:read'],
  status: 'active',
  createdAt: '2026-11-22T13:07:39.283Z',
  updatedAt: '2026-11-22T13:07:39.283Z',
} as const;
