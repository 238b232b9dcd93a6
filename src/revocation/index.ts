/**
 * Live revocation for the enforcer and the verifier: the option, its checks, and the check that
 * loads on first use.
 */
export { readRevocationOptions, DEFAULT_BASE_URL, DEFAULT_MAX_STALENESS, type RevocationSettings } from './options.js';
export { lazyAuthority } from './lazy.js';
export type { Authority } from './authority.js';
export type { RevocationMode, RevocationOptions, RevocationVerdict } from './types.js';
