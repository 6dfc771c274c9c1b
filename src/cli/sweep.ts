// rekindle sweep: runs the campaigns once over the database and prints, per
// campaign, how many hits each rule excluded and how many were held out,
// scheduled or deferred. --dry-run (and --explain, which implies it) writes
// nothing. An invalid campaign set is refused before the database is opened.

import { createWriteStream } from 'node:fs';
import { type TriggerType, triggerTypes } from '../core/campaigns/trigger-block.ts';
import type { CampaignSet } from '../core/campaigns/types.ts';
import { csvLine } from '../core/csv.ts';
import { newSendPlan, type SendPlanRow } from '../core/selection/send-plan.ts';
import type { Decision } from '../core/selection/types.ts';
import { formatInstant } from '../core/time.ts';
import { describeInstance } from '../core/triggers/trigger-ref.ts';
import { explainSweep } from '../services/sweep/explain-sweep.ts';
import { runSweep, type SweepResult } from '../services/sweep/run-sweep.ts';
import type { SweepCounts } from '../services/sweep/sweep-counts.ts';
import { sweepReportJson, sweepTableFootnote, sweepTableRow } from '../services/sweep/sweep-report-json.ts';
import { parseCommandLine, parseNowOption } from './args.ts';
import { loadCampaignSetFor } from './campaign-set.ts';
import { type CliIO, type Command, newFileError, printJson, printTable, UsageError } from './io.ts';

const usage = `usage: rekindle sweep [--dry-run] [--now ISO] [--campaign ID] [--only ${triggerTypes.join('|')}] [--json] [--explain CUSTOMER_ID] [--recipients FILE]`;

export const sweepCommand: Command = async (argv, io) => {
  const args = parseCommandLine(argv, {
    usage,
    options: {
      'dry-run': { type: 'boolean' },
      now: { type: 'string' },
      campaign: { type: 'string' },
      only: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      explain: { type: 'string' },
      recipients: { type: 'string' },
    },
  });
  const { values } = args;
  const now = parseNowOption(values.now, io);
  const only = parseOnly(values.only);
  if (values.explain !== undefined && values.explain.trim() === '')
    throw new UsageError('--explain needs a customer id');

  const set = await loadCampaignSetFor(io, 'nothing swept');
  if (!set) return 1;
  checkCampaign(set, values.campaign);

  const dryRun = Boolean(values['dry-run']) || values.explain !== undefined;
  if (values.recipients !== undefined && !dryRun) {
    throw new UsageError(
      '--recipients goes with --dry-run: it lists whom a sweep would mail, writing nothing',
    );
  }
  const recipients =
    values.recipients === undefined ? undefined : await openRecipients(values.recipients, now);
  const plan = dryRun ? newSendPlan(set.settings.timezone) : undefined;
  const onChosen =
    plan || recipients
      ? (chosen: readonly Exclude<Decision, { outcome: 'excluded' }>[]) => {
          plan?.add(chosen);
          recipients?.add(chosen);
        }
      : undefined;
  const store = await io.openStore();
  let result: SweepResult;
  let explained: Awaited<ReturnType<typeof explainSweep>> | undefined;
  try {
    result = await runSweep({
      store,
      campaigns: set,
      now,
      dryRun,
      triggerTypes: only,
      campaignId: values.campaign,
      explainCustomer: values.explain,
      onProgress: io.interactive ? drawProgress(io) : undefined,
      onChosen,
    });
    if (values.explain !== undefined) explained = await explainSweep(store, set, result, values.explain);
  } finally {
    await store.close();
    await recipients?.close();
  }
  if (recipients) io.stderr.write(`wrote ${recipients.count()} recipients to ${values.recipients}\n`);
  if (io.interactive) io.stderr.write('\n');

  if (values.json) {
    printJson(io, {
      ...sweepReportJson(result),
      ...(plan ? { send_plan: { time_zone: plan.zone, rows: plan.rows() } } : {}),
      ...(explained ? { explain: explained } : {}),
    });
    return 0;
  }
  io.stdout.write(
    `sweep at ${new Date(now).toISOString()}${dryRun ? ' (dry run: nothing written)' : ''}\n\n`,
  );
  printTable(io, result.campaigns.map(sweepTableRow));
  io.stdout.write(`${sweepTableFootnote}\n`);
  if (plan && !explained) printSendPlan(io, plan.rows(), plan.zone);
  if (explained) {
    io.stdout.write(`\ncustomer ${explained.customer_id}:\n`);
    for (const line of explained.campaigns) io.stdout.write(`  ${line.campaign_id}: ${line.summary}\n`);
  }
  return 0;
};

const planLines = 40;

/** The dry run's send plan, the first rows of it: --json has them all. */
function printSendPlan(io: CliIO, rows: readonly SendPlanRow[], zone: string): void {
  if (rows.length === 0) return;
  io.stdout.write(
    `\nsend plan: scheduled messages by hour they go out (${zone}), after send windows, quiet hours and the cap\n\n`,
  );
  printTable(
    io,
    rows.slice(0, planLines).map((row) => ({ ...row })),
  );
  if (rows.length > planLines)
    io.stdout.write(`... ${rows.length - planLines} more hours (--json lists every one)\n`);
}

/** `--recipients FILE`: one CSV line per message a dry run would schedule or hold out. */
async function openRecipients(file: string, now: number) {
  const out = createWriteStream(file, { flags: 'wx' });
  await new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', (error: NodeJS.ErrnoException) => reject(newFileError(file, error)));
  });
  out.write(csvLine(['campaign', 'step', 'customer_id', 'email', 'outcome', 'due_at', 'trigger']));
  let count = 0;
  return {
    add(decisions: readonly Exclude<Decision, { outcome: 'excluded' }>[]) {
      for (const { hit, outcome, dueAt } of decisions) {
        count++;
        out.write(
          csvLine([
            hit.campaignId,
            String(hit.step + 1),
            hit.customerId ?? '',
            hit.email,
            outcome,
            formatInstant(dueAt),
            describeInstance(hit.instance, now),
          ]),
        );
      }
    },
    count: () => count,
    close: () => new Promise<void>((resolve) => out.end(() => resolve())),
  };
}

function parseOnly(values: string[] | undefined): TriggerType[] | undefined {
  if (values === undefined) return undefined;
  const types = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  for (const type of types) {
    if (!(triggerTypes as readonly string[]).includes(type))
      throw new UsageError(`--only must be one of ${triggerTypes.join(', ')}, got '${type}'`);
  }
  return types as TriggerType[];
}

function checkCampaign(set: CampaignSet, id: string | undefined): void {
  if (id === undefined) return;
  const campaign = set.campaigns.find((c) => c.id === id);
  const known = set.campaigns.map((c) => c.id).join(', ') || 'none';
  if (!campaign) throw new UsageError(`--campaign: no campaign '${id}' (known: ${known})`);
  if (!campaign.enabled) throw new UsageError(`--campaign: '${id}' is disabled (enabled: false in its file)`);
}

function drawProgress(io: CliIO): (campaignId: string, report: SweepCounts) => void {
  return (campaignId, r) => {
    io.stderr.write(
      `\rsweeping ${campaignId}: ${r.eligible.toLocaleString('en')} eligible, ${r.scheduled.toLocaleString('en')} scheduled   `,
    );
  };
}
