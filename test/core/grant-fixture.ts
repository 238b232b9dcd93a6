/** A grant as the API answers it: the one list item the pagination tests page through. */
export const GRANT = {
  grantId: 'grnt_1',
  agentId: 'ag_1',
  principalId: 'user_1',
  developerId: 'dev_1',
  scopes: ['x:read'],
  status: 'active',
  issuedAt: '2026-11-22T13:07:39.283Z',
  expiresAt: '2026-11-23T13:07:39.283Z',
  delegationDepth: 0,
};
