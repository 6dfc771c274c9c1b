// rekindle woocommerce sync: heals the gaps WooCommerce's webhooks leave (it
// never delivers one again) by reading customers, products with their
// variations, and orders through the REST API and applying each row as its
// webhook would be (adapters/platforms/woocommerce/sync.ts), through the same
// ports the webhook route hands the adapter. Progress on stderr when it is a
// terminal; a summary table or --json on stdout. Prints counts, never rows.
import { wooRestReader } from '../adapters/platforms/woocommerce/rest-pages.ts';
import { syncWooCommerce } from '../adapters/platforms/woocommerce/sync.ts';
import { checkoutPlatformsConfig } from '../config/env.ts';
import { platformPorts } from '../http/routes/webhooks.ts';
import { parseCommandLine } from './args.ts';
import { loadCampaignSetFor } from './campaign-set.ts';
import { type Command, printJson, printTable, UsageError } from './io.ts';

const usage = 'usage: rekindle woocommerce sync [--full] [--max-pages N] [--json]';

export const woocommerceCommand: Command = async (argv, io) => {
  const [action, ...rest] = argv;
  if (action !== 'sync') {
    throw new UsageError(
      action === undefined ? `name sync; ${usage}` : `unknown action '${action}'; ${usage}`,
    );
  }
  const { values } = parseCommandLine(rest, {
    usage,
    options: { full: { type: 'boolean' }, 'max-pages': { type: 'string' }, json: { type: 'boolean' } },
  });
  const maxPages = values['max-pages'] === undefined ? undefined : Number(values['max-pages']);
  if (maxPages !== undefined && (!Number.isInteger(maxPages) || maxPages < 1))
    throw new UsageError(`--max-pages must be a whole number from 1, got '${values['max-pages']}'`);
  const woo = checkoutPlatformsConfig(io.config).woocommerce;
  if (!woo) throw new UsageError('set WOO_URL, WOO_KEY and WOO_SECRET (a REST key with read access) to sync');
  const set = await loadCampaignSetFor(io, 'nothing synced');
  if (!set) return 1;
  const progress = (line: string) => {
    if (io.interactive) io.stderr.write(`rekindle: ${line}\n`);
  };
  const store = await io.openStore();
  try {
    const ports = platformPorts({ store, now: io.now, campaigns: set, log: progress });
    const readPage = wooRestReader(woo, {
      fetch: (url, init) => fetch(url, init),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      clock: io.now,
      onWait: (ms, reason) => progress(`${reason}; waiting ${Math.ceil(ms / 1000)} s`),
    });
    const summary = await syncWooCommerce({
      ports,
      readPage,
      consentMetaKey: io.config.WOO_CONSENT_META_KEY,
      full: Boolean(values.full),
      maxPages,
      onProgress: progress,
    });
    if (values.json) printJson(io, summary);
    else {
      const rows = Object.entries({ ...summary.resources, variations: summary.variations }).map(
        ([resource, counts]) => ({ resource, ...counts }),
      );
      printTable(io, rows);
    }
    if (summary.stopped) io.stderr.write(`rekindle: ${summary.stopped}\n`);
    // Stopped on purpose (--max-pages) is not a failure; stopped by the shop is.
    return summary.complete || summary.paused ? 0 : 1;
  } finally {
    await store.close();
  }
};
