// What every request handler can reach: the dependencies handed to createApp
// and the API key that authenticated the call.
import type { StoredKey } from '../db/repositories/api-keys.ts';
import type { Store } from '../db/store.ts';

export interface AppDeps {
  store: Store;
  /** Epoch milliseconds; a parameter so tests and replays can fix time. */
  now: () => number;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    apiKey: StoredKey;
  };
}
