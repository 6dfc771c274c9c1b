// rekindle webhooks deliver|list: the events owed to the shop's endpoints
// (settings `webhooks:`). deliver brings the subscriptions up to the settings
// and runs one pass of the event deliverer, as `rekindle serve` does on its
// own; list shows the newest events and where each stands. Prints endpoint
// URLs and event ids, never a secret or an event's data.
import { resolveWebhookEndpoints } from '../config/webhook-endpoints.ts';
import { type EventState, listEvents } from '../db/repositories/outgoing-event-queue.ts';
import { deliverEvents } from '../services/webhooks/deliver-events.ts';
import { syncSubscriptions } from '../services/webhooks/sync-subscriptions.ts';
import { parseCommandLine } from './args.ts';
import { loadCampaignSetFor } from './campaign-set.ts';
import { type CliIO, type Command, printJson, printTable, UsageError } from './io.ts';

const usage =
  'usage: rekindle webhooks deliver [--json] | rekindle webhooks list [--state S] [--limit N] [--json]';
const states: readonly EventState[] = ['pending', 'delivered', 'failed'];

export const webhooksCommand: Command = async (argv, io) => {
  const [action, ...rest] = argv;
  const { values } = parseCommandLine(rest, {
    usage,
    options: { json: { type: 'boolean' }, state: { type: 'string' }, limit: { type: 'string' } },
  });
  if (action === 'deliver') {
    if (values.state !== undefined || values.limit !== undefined)
      throw new UsageError(`--state and --limit go with list; ${usage}`);
    return deliver(io, Boolean(values.json));
  }
  if (action === 'list') {
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw new UsageError(`--limit must be a whole number from 1 to 10000, got '${values.limit}'`);
    const state = values.state as EventState | undefined;
    if (state !== undefined && !states.includes(state))
      throw new UsageError(`--state must be one of ${states.join(', ')}, got '${values.state}'`);
    return list(io, { limit, state, json: Boolean(values.json) });
  }
  throw new UsageError(
    action === undefined ? `name deliver or list; ${usage}` : `unknown action '${action}'; ${usage}`,
  );
};

async function deliver(io: CliIO, json: boolean): Promise<number> {
  const set = await loadCampaignSetFor(io, 'nothing delivered');
  if (!set) return 1;
  const endpoints = set.settings.webhooks ?? [];
  const store = await io.openStore();
  try {
    await syncSubscriptions(store, endpoints, io.now());
    const { ready, problems } = resolveWebhookEndpoints(endpoints, io.config.webhookSecrets);
    for (const problem of problems) io.stderr.write(`rekindle: ${problem}\n`);
    if (endpoints.length === 0)
      io.stderr.write('rekindle: the settings list no webhooks; nothing to deliver\n');
    const counts = await deliverEvents({
      store,
      endpoints: ready,
      fetch: (url, init) => fetch(url, init),
      now: io.now,
    });
    if (json) printJson(io, { endpoints: ready.map((e) => e.url), ...counts });
    else printTable(io, [{ ...counts }]);
    return 0;
  } finally {
    await store.close();
  }
}

async function list(
  io: CliIO,
  options: { limit: number; state: EventState | undefined; json: boolean },
): Promise<number> {
  const store = await io.openStore();
  try {
    const rows = await listEvents(store, options);
    const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const shown = rows.map((row) => ({
      id: row.eventId,
      type: row.type,
      endpoint: row.endpoint,
      state: row.state,
      attempts: row.attempts,
      created_at: time(row.createdAt),
      next_attempt_at: time(row.nextAttemptAt),
      delivered_at: time(row.deliveredAt),
      failed_at: time(row.failedAt),
      last_error: row.lastError,
    }));
    if (options.json) printJson(io, shown);
    else
      printTable(
        io,
        shown.map((row) => ({
          id: row.id,
          endpoint: row.endpoint,
          state: row.state,
          attempts: row.attempts,
          created: row.created_at,
          next_attempt: row.next_attempt_at,
          last_error: row.last_error,
        })),
      );
    return 0;
  } finally {
    await store.close();
  }
}
