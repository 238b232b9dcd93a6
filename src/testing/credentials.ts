// Verifiable credentials as the server issues them: VC-JWTs of grants, SD-JWTs, and the
// StatusList2021 revocation lists they point into. Revoking a grant flips its credentials' bits.
import { base64url, iso, randomBytes, ulid, utf8 } from './encoding.js';
import type { ServerCore } from './http.js';
import type { GrantRecord, StatusListRecord, VcRecord } from './store.js';

/** The length of a status list in bits (16 KiB), the minimum StatusList2021 asks for. */
const LIST_BITS = 131_072;

/** The issuer DID of credentials: `did:web:` and the host of the server's URL. */
export const credentialIssuer = (core: ServerCore) => `did:web:${new URL(core.baseUrl()).host.replace(':', '%3A')}`;

export const statusListUrl = (core: ServerCore, listId: string) => `${core.baseUrl()}/v1/credentials/status/${listId}`;

/** Takes the next index of the server's current status list, opening a new list when it is full. */
export function allocateStatus(core: ServerCore): { list: StatusListRecord; index: number } {
  const { store } = core;
  let list = [...store.statusLists.values()].at(-1);
  if (!list || list.next >= LIST_BITS) {
    const now = core.clock.ms();
    list = { id: `vcsl_${ulid(now)}`, revoked: new Set(), next: 0, issuedAt: now };
    store.statusLists.set(list.id, list);
  }
  return { list, index: list.next++ };
}

/** The `credentialStatus` entry of a credential at `index` of `listId`. */
export function statusEntry(core: ServerCore, listId: string, index: number): Record<string, string> {
  const url = statusListUrl(core, listId);
  return { id: `${url}#${index}`, type: 'StatusList2021Entry', statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: url };
}

/** Marks a VC record revoked and sets its bit; returns false when it already was. */
export function revokeCredential(core: ServerCore, record: VcRecord, now: number): boolean {
  if (record.status === 'revoked') return false;
  record.status = 'revoked';
  record.revokedAt = now;
  core.store.statusLists.get(record.statusListId)?.revoked.add(record.statusListIdx);
  return true;
}

/** Revokes every credential (VC-JWTs, passports, SD-JWTs) of the given grants. */
export function revokeGrantCredentials(core: ServerCore, grantIds: readonly string[], now: number): void {
  if (grantIds.length === 0) return;
  const ids = new Set(grantIds);
  for (const record of core.store.vcs.values()) if (ids.has(record.grantId)) revokeCredential(core, record, now);
  for (const record of core.store.sdJwts.values()) {
    if (ids.has(record.grantId)) core.store.statusLists.get(record.statusListId)?.revoked.add(record.statusListIdx);
  }
}

/** True when the bit of (`listId`, `index`) is set. */
export const isRevokedAt = (core: ServerCore, listId: string, index: number) => core.store.statusLists.get(listId)?.revoked.has(index) ?? false;

const subjectOf = (grant: GrantRecord) => ({
  principalId: grant.principalId,
  developerId: grant.developerId,
  grantId: grant.grantId,
  scopes: [...grant.scopes],
  delegationDepth: grant.delegationDepth,
});

/** Issues a grant's VC-JWT, records it, and tells the developer (`vc.issued`). */
export async function issueGrantVc(core: ServerCore, grant: GrantRecord): Promise<string> {
  const now = core.clock.ms();
  const id = `vc_${ulid(now)}`;
  const { list, index } = allocateStatus(core);
  const jwt = await core.signer.sign(
    {
      iss: credentialIssuer(core),
      sub: grant.agentDid,
      iat: Math.floor(now / 1000),
      exp: Math.floor(grant.expiresAt / 1000),
      jti: id,
      vc: {
        '@context': ['https://www.w3.org/ns/credentials/v2', 'https://grantex.dev/ns/credentials/v1'],
        type: ['VerifiableCredential', 'AgentGrantCredential'],
        credentialSubject: { id: grant.agentDid, type: 'AIAgent', ...subjectOf(grant) },
        credentialStatus: statusEntry(core, list.id, index),
      },
    },
    { typ: 'JWT' },
  );
  core.store.vcs.set(id, {
    id,
    grantId: grant.grantId,
    developerId: grant.developerId,
    principalId: grant.principalId,
    agentDid: grant.agentDid,
    credentialType: 'AgentGrantCredential',
    format: 'vc-jwt',
    credentialJwt: jwt,
    status: 'active',
    statusListId: list.id,
    statusListIdx: index,
    issuedAt: now,
    expiresAt: grant.expiresAt,
    revokedAt: null,
    seq: core.store.nextSeq(),
  });
  await core.emit(grant.developerId, 'vc.issued', { vcId: id, grantId: grant.grantId, format: 'vc-jwt' });
  return jwt;
}

/** The digest an SD-JWT lists for a disclosure: base64url(SHA-256(ASCII of the disclosure)). */
export async function disclosureDigest(disclosure: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(disclosure))));
}

/**
 * Issues a grant's SD-JWT (`<issuer-jwt>~<disclosure>~…~`): the grant's claims are each a
 * disclosure, so a holder can present any subset of them.
 */
export async function issueGrantSdJwt(core: ServerCore, grant: GrantRecord): Promise<string> {
  const now = core.clock.ms();
  const id = `vc_${ulid(now)}`;
  const { list, index } = allocateStatus(core);
  const disclosures = Object.entries(subjectOf(grant)).map(([name, value]) => base64url(JSON.stringify([base64url(randomBytes(16)), name, value])));
  const digests = await Promise.all(disclosures.map(disclosureDigest));
  const jwt = await core.signer.sign(
    {
      iss: credentialIssuer(core),
      sub: grant.agentDid,
      iat: Math.floor(now / 1000),
      exp: Math.floor(grant.expiresAt / 1000),
      jti: id,
      vct: 'AgentGrantCredential',
      status: statusEntry(core, list.id, index),
      _sd_alg: 'sha-256',
      _sd: digests.sort(),
    },
    { typ: 'vc+sd-jwt' },
  );
  core.store.sdJwts.set(id, { id, grantId: grant.grantId, developerId: grant.developerId, statusListId: list.id, statusListIdx: index });
  await core.emit(grant.developerId, 'sd-jwt.issued', { vcId: id, grantId: grant.grantId });
  return `${jwt}~${disclosures.join('~')}~`;
}

// A gzip member with stored (uncompressed) deflate blocks: a valid gzip stream that every
// StatusList2021 reader inflates, built without CompressionStream (absent from some runtimes).
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function gzipStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65_535));
  const out = new Uint8Array(10 + blocks * 5 + data.length + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  let at = 10;
  for (let i = 0; i < blocks; i++) {
    const chunk = data.subarray(i * 65_535, (i + 1) * 65_535);
    const len = chunk.length;
    out.set([i === blocks - 1 ? 1 : 0, len & 0xff, len >>> 8, ~len & 0xff, (~len >>> 8) & 0xff], at);
    out.set(chunk, at + 5);
    at += 5 + len;
  }
  const view = new DataView(out.buffer);
  view.setUint32(at, crc32(data), true);
  view.setUint32(at + 4, data.length >>> 0, true);
  return out;
}

/** The StatusList2021 credential of a list: its bits, most significant first, gzipped and base64url-encoded. */
export function statusListCredential(core: ServerCore, list: StatusListRecord): Record<string, unknown> {
  const bits = new Uint8Array(LIST_BITS / 8);
  for (const index of list.revoked) bits[index >> 3] = bits[index >> 3]! | (0x80 >> (index & 7));
  const url = statusListUrl(core, list.id);
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/vc/status-list/2021/v1'],
    id: url,
    type: ['VerifiableCredential', 'StatusList2021Credential'],
    issuer: credentialIssuer(core),
    issued: iso(list.issuedAt),
    credentialSubject: { id: `${url}#list`, type: 'StatusList2021', statusPurpose: 'revocation', encodedList: base64url(gzipStored(bits)) },
  };
}

