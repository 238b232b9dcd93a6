// The two developers every server starts with: a live one (authorization requests wait for
// consent) and a sandbox one (approved at once). `reset()` seeds them again with the same ids and keys.
import { createDeveloper } from './routes/account.js';
import type { TestServerOptions } from './server-types.js';
import type { Store } from './store.js';

/** The built-in developers of one server. */
export interface BuiltInDevelopers {
  readonly liveId: string;
  readonly sandboxId: string;
  /** Creates both in `store`: with the ids and keys of the first seeding, or the options' keys the first time. */
  seed(store: Store, now: number): void;
}

export function builtInDevelopers(options: TestServerOptions): BuiltInDevelopers {
  const seeded = { live: { developerId: '', apiKey: options.apiKey }, sandbox: { developerId: '', apiKey: options.sandboxApiKey } };
  return {
    get liveId() {
      return seeded.live.developerId;
    },
    get sandboxId() {
      return seeded.sandbox.developerId;
    },
    seed(store, now) {
      const live = createDeveloper(store, now, {
        name: 'Test Developer',
        mode: 'live',
        plan: options.plan ?? 'free',
        ...(seeded.live.apiKey ? { apiKey: seeded.live.apiKey } : {}),
        ...(seeded.live.developerId ? { developerId: seeded.live.developerId } : {}),
      });
      const sandbox = createDeveloper(store, now, {
        name: 'Test Sandbox Developer',
        mode: 'sandbox',
        plan: options.plan ?? 'free',
        ...(seeded.sandbox.apiKey ? { apiKey: seeded.sandbox.apiKey } : {}),
        ...(seeded.sandbox.developerId ? { developerId: seeded.sandbox.developerId } : {}),
      });
      seeded.live = { developerId: live.developerId, apiKey: live.apiKey };
      seeded.sandbox = { developerId: sandbox.developerId, apiKey: sandbox.apiKey };
    },
  };
}
