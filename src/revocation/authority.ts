/**
 * Whether a token that verified offline is still good: the state behind `revocation` in
 * `'online'` and `'events'` mode. Loaded on the first check (see lazy.ts).
 *
 * - Online answers (`POST /v1/tokens/verify`) are kept per token for `maxStaleness`, at most as
 *   many as the verified-token cache holds (the oldest go first); concurrent checks of one token
 *   share one request.
 * - In `'events'` mode the live feed marks grants revoked as it reports them. A token is denied
 *   when its grant or any ancestor the enforcer has seen (`grnt` → `parentGrnt`) was revoked. An
 *   online answer is reused only while nothing could have been missed since it was asked for: the
 *   feed stayed in the same state (no drop, no reconnection), no event named one of the token's
 *   grants without saying it was revoked, and, where the token's lineage is not known up to its
 *   root, no revocation cascaded since.
 * - The feed is open only while some answer depends on it: it closes itself `maxStaleness` after
 *   the last online answer (every answer is stale by then) and opens again with the next check.
 *   So an enforcer that is never closed lets a process exit soon after its last check.
 */
import type { GrantexEvent } from '../events/types.js';
import { unrefTimer } from '../events/session.js';
import type { VerifiedGrant } from '../jwt/types.js';
import { openFeed } from './feed.js';
import { MAX_REQUEST_MS, type OnlineAnswer, verifyOnline } from './online.js';
import type { RevocationSettings } from './options.js';
import type { RevocationVerdict } from './types.js';

/**
 * The check an enforcer or a verifier runs after offline verification. It answers synchronously
 * when memory decides (the hot path: no promise, no request) and with a promise when it must ask.
 */
export interface Authority {
  /**
   * `now` (epoch ms) is the clock reading the offline verification of this token just used, shared
   * so that a check costs one clock read; without it the clock is read here.
   */
  check(token: string, grant: VerifiedGrant, now?: number): RevocationVerdict | Promise<RevocationVerdict>;
  close(): Promise<void>;
}

/** An online answer, with the state of the world when it was asked for. */
interface Answer {
  readonly status: 'active' | 'revoked';
  /** When the request started (epoch ms). */
  readonly at: number;
  /** The feed's state counter when the request started. */
  readonly epoch: number;
  /** The last event applied when the request started. */
  readonly seq: number;
}

/** A grant the feed reported, with when (event number, epoch ms). */
interface Mark {
  readonly seq: number;
  readonly at: number;
}

/** Most grants remembered as revoked or in doubt; past it every answer is asked for again. */
export const MAX_MARKS = 100_000;
/** Delegation is at most 3 deep: a chain has at most 4 grants. */
const MAX_CHAIN = 4;

const ACTIVE: RevocationVerdict = Object.freeze({ status: 'active' });

/** Builds the state for one enforcer or verifier. */
export function createAuthority(settings: RevocationSettings): Authority {
  const { maxStaleness, mode } = settings;
  const events = mode === 'events';
  const answers = new Map<string, Answer>();
  const pending = new Map<string, Promise<OnlineAnswer>>();
  // grant → its parent and depth, from every token seen; bounded like the answers.
  const lineage = new Map<string, { readonly parent: string | undefined; readonly depth: number }>();
  const revoked = new Map<string, Mark>();
  const doubted = new Map<string, Mark>();
  let seq = 0;
  let lastCascade = 0;
  let doubtAll = 0;
  let epoch = 0;
  let live = false;
  let closed = false;
  let feed: { close(): void } | undefined;
  let lastAnswerAt = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  function setLive(): void {
    if (live || !feed) return;
    live = true;
    epoch++;
  }
  function setDown(): void {
    if (!live) return;
    live = false;
    epoch++;
  }

  /** The marks are needed until every answer asked for before them is stale. */
  function prune(marks: Map<string, Mark>, now: number): void {
    const horizon = now - maxStaleness - MAX_REQUEST_MS;
    for (const [id, mark] of marks) {
      if (mark.at > horizon && marks.size <= MAX_MARKS) break;
      marks.delete(id);
      // Forgotten before its time (a flood of events): nothing cached may be trusted.
      if (mark.at > horizon) doubtAll = seq;
    }
  }
  function mark(marks: Map<string, Mark>, id: unknown): boolean {
    if (typeof id !== 'string' || id === '') return false;
    const now = Date.now();
    marks.delete(id);
    marks.set(id, { seq, at: now });
    prune(marks, now);
    return true;
  }

  function apply(event: GrantexEvent): void {
    seq++;
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'grant.revoked':
        if (mark(revoked, data.grantId)) {
          // The descendants revoked with it are not listed; `cascade: false` says there were none.
          if (data.cascade !== false) lastCascade = seq;
        } else doubtAll = seq;
        break;
      case 'anomaly.auto_revoked':
        if (Array.isArray(data.revokedGrants)) for (const id of data.revokedGrants) mark(revoked, id);
        else doubtAll = seq;
        lastCascade = seq;
        break;
      case 'passport.revoked':
      case 'consent_bundle.revoked':
      case 'dpdp.consent.withdrawn':
        // These end the grant only sometimes (`revokeGrant`, `grantRevoked`): when the event says
        // so the grant is revoked; otherwise its tokens are asked about again. No grant named:
        // every token is asked about again.
        if (data.grantRevoked === true || data.revokeGrant === true) {
          if (mark(revoked, data.grantId)) lastCascade = seq;
          else doubtAll = seq;
        } else if (!mark(doubted, data.grantId)) doubtAll = seq;
        break;
      default:
        break;
    }
  }

  function ensureFeed(): void {
    if (!events || closed || feed) return;
    // A feed that was closed may still report its end: only the current one moves the state.
    const current = openFeed(settings, {
      onEvent: apply,
      onLive: () => feed === current && setLive(),
      onDown: () => feed === current && setDown(),
    });
    feed = current;
  }

  /** Closes the feed once no answer younger than `maxStaleness` depends on it. */
  function scheduleIdleClose(): void {
    if (idleTimer !== undefined) return;
    const wait = Math.max(1, lastAnswerAt + maxStaleness - Date.now());
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      if (!feed) return;
      if (Date.now() - lastAnswerAt < maxStaleness) return scheduleIdleClose();
      feed.close();
      feed = undefined;
      setDown();
    }, wait);
    unrefTimer(idleTimer);
  }

  /** The grants of a token, from its own up to the root as far as known, and whether the root was reached. */
  function chain(grant: VerifiedGrant): { ids: string[]; complete: boolean } {
    const ids = [grant.grantId];
    if (grant.delegationDepth === 0) return { ids, complete: true };
    let parent = grant.parentGrantId;
    while (parent !== undefined && ids.length < MAX_CHAIN + 1) {
      ids.push(parent);
      const node = lineage.get(parent);
      if (node === undefined) break;
      if (node.depth === 0) return { ids, complete: true };
      parent = node.parent;
    }
    return { ids, complete: false };
  }

  function remember(grant: VerifiedGrant): void {
    const known = lineage.get(grant.grantId);
    if (known && known.parent === grant.parentGrantId && known.depth === grant.delegationDepth) return;
    lineage.delete(grant.grantId);
    lineage.set(grant.grantId, { parent: grant.parentGrantId, depth: grant.delegationDepth });
    if (lineage.size > settings.maxEntries) lineage.delete(lineage.keys().next().value!);
  }

  function revokedIn(ids: readonly string[]): RevocationVerdict | undefined {
    for (const [index, id] of ids.entries()) {
      if (!revoked.has(id)) continue;
      const message = index === 0 ? `Grant ${id} was revoked` : `The token's grant was delegated from grant ${id}, which was revoked`;
      return { status: 'revoked', message };
    }
    return undefined;
  }

  /** One request per token at a time; every concurrent check waits for the same answer. */
  function ask(token: string): Promise<OnlineAnswer> {
    let request = pending.get(token);
    if (request) return request;
    const started = { at: Date.now(), epoch, seq };
    request = verifyOnline(settings, token).then((answer) => {
      if (answer.status !== 'unknown') {
        answers.delete(token);
        answers.set(token, { status: answer.status, ...started });
        if (answers.size > settings.maxEntries) answers.delete(answers.keys().next().value!);
        if (feed) {
          lastAnswerAt = Math.max(lastAnswerAt, started.at);
          scheduleIdleClose();
        }
      }
      return answer;
    });
    const settled = request.finally(() => pending.delete(token));
    pending.set(token, settled);
    return settled;
  }

  /** The verdict the feed gives about a token's lineage, without allocating when nothing was revoked. */
  function revokedByFeed(grant: VerifiedGrant): RevocationVerdict | undefined {
    if (!events || revoked.size === 0) return undefined;
    return revokedIn(chain(grant).ids);
  }

  /**
   * Whether a cached answer may be used. The common case (fresh, the feed in the same state, no
   * event since that could matter) is decided from a few counters and the caller's clock reading,
   * with no allocation; only then is the token's lineage walked. Negated so that a reading of NaN
   * makes the answer stale.
   */
  function usableAt(answer: Answer, grant: VerifiedGrant, now: number): boolean {
    if (!(now - answer.at < maxStaleness)) return false;
    if (!events || closed) return true;
    // The feed dropped, came back or closed since: events may have been missed.
    if (answer.epoch !== epoch) return false;
    // Asked for while the feed is down, and still down: reused like an online answer.
    if (!live) return true;
    if (answer.seq < doubtAll) return false;
    const quiet = doubted.size === 0 && lastCascade <= answer.seq;
    if (quiet) return true;
    const { ids, complete } = chain(grant);
    for (const id of ids) {
      const doubt = doubted.get(id);
      if (doubt && doubt.seq > answer.seq) return false;
    }
    return complete || lastCascade <= answer.seq;
  }

  async function askAndDecide(token: string, grant: VerifiedGrant): Promise<RevocationVerdict> {
    const answer = await ask(token);
    // An event may have arrived while the request was out.
    const verdict = revokedByFeed(grant);
    if (verdict) return verdict;
    if (answer.status === 'active') return ACTIVE;
    if (answer.status === 'revoked') return revokedOnline;
    return { status: 'unknown', message: `Whether the token was revoked could not be established: ${answer.reason}` };
  }

  return {
    check(token, grant, now) {
      remember(grant);
      ensureFeed();
      const verdict = revokedByFeed(grant);
      if (verdict) return verdict;
      const known = answers.get(token);
      if (known?.status === 'revoked') return revokedOnline;
      // Oldest-first eviction is enough: an answer is stale after maxStaleness whatever its use.
      if (known && usableAt(known, grant, now ?? Date.now())) return ACTIVE;
      return askAndDecide(token, grant);
    },
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      idleTimer = undefined;
      feed?.close();
      feed = undefined;
      setDown();
    },
  };
}

const revokedOnline: RevocationVerdict = Object.freeze({ status: 'revoked', message: 'The Grantex API no longer accepts this token: it, or its grant, was revoked' });
