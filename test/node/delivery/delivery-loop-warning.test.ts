// The serve loop's warning about the local-only signing key is said once per
// process, not again each time a campaign reload restarts delivery.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import { parseNodeEnv } from '../../../src/config/env.ts';
import { startDeliveryLoop } from '../../../src/entry/node-delivery-loop.ts';
import { openTempStore, type TempStore } from '../support/temp-store.ts';

let temp: TempStore;
beforeEach(async () => {
  temp = await openTempStore();
});
afterEach(async () => {
  await temp.cleanup();
});

describe('the serve delivery loop', () => {
  it('warns about an unset SIGNING_SECRET once, however often a reload restarts it', async () => {
    const loaded = await loadCampaigns({ dir: 'campaigns', emailsDir: 'emails' });
    if (!loaded.ok) throw new Error('the shipped campaigns must load');
    const config = parseNodeEnv({ DATABASE_URL: temp.url, OUTBOX_DIR: join(temp.dir, 'outbox') });
    const lines: string[] = [];
    const loop = await startDeliveryLoop({
      config,
      store: temp.store,
      set: loaded.set,
      log: (l) => lines.push(l),
    });
    await loop.restart(loaded.set);
    await loop.restart(loaded.set);
    await loop.stop();
    expect(lines.filter((line) => line.includes('SIGNING_SECRET is unset'))).toHaveLength(1);
  });
});
