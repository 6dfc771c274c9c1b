// Render benchmark: personalized emails per second on one core, compile-once-
// fill-many (MJML compiled once per template, Liquid filled per recipient)
// beside the naive way (fill the MJML with Liquid, compile it per recipient),
// in the same run over the same recipients and the shipped templates, taking
// turns. ratio = fast rate / naive rate; baseline = the naive rate.
// Goals (issue 13): ratio >= 300 and >= 25,000 emails/s. BENCH_RENDER_SECONDS
// sets the time spent on each side (default 3).
import { join } from 'node:path';
import { createMjmlRenderer } from '../src/adapters/templates/mjml-renderer.ts';
import { renderNaively } from '../src/adapters/templates/naive-render.ts';
import { resolvePartials } from '../src/adapters/templates/partials.ts';
import { folderReader } from '../src/adapters/templates/template-files.ts';
import { loadCampaigns } from '../src/config/campaign-loader.ts';
import type { EmailView } from '../src/core/rendering/contract.ts';
import { sampleView } from '../src/core/rendering/sample-view.ts';
import { log } from './support/log.ts';
import type { BenchResult } from './support/result.ts';

const root = join(import.meta.dirname, '..');
const seconds = Number(process.env.BENCH_RENDER_SECONDS ?? 3);
const goals = { ratio: 300, perSecond: 25_000 };
const firstNames = [
  'Ada',
  'Bo',
  'Chidi',
  'Dana',
  null,
  'Élodie',
  'Farah',
  '<script>alert(1)</script>',
  'Gus',
  'Hana',
];

interface Job {
  template: string;
  subject: string;
  source: string;
  view: EmailView;
}

async function jobs(): Promise<Job[]> {
  const loaded = await loadCampaigns({ dir: join(root, 'campaigns'), emailsDir: join(root, 'emails') });
  if (!loaded.ok) throw new Error('the shipped campaigns do not validate');
  const reader = folderReader(join(root, 'emails'));
  const out: Job[] = [];
  for (let i = 0; i < 1000; i++) {
    for (const campaign of loaded.set.campaigns) {
      for (const step of campaign.steps) {
        const resolved = await resolvePartials(step.email.template, reader);
        if (!resolved.ok) throw new Error(`${step.email.template} does not resolve`);
        const view = sampleView(campaign, loaded.set.settings, {
          step: step.index,
          now: Date.UTC(2026, 10, 1),
        });
        view.customer = {
          ...view.customer,
          id: `c${i}`,
          first_name: firstNames[i % firstNames.length] ?? null,
        };
        view.links = { ...view.links, unsubscribe: `https://mail.shop.example/u/token-${i}` };
        if (view.cart) view.cart = { ...view.cart, items: view.cart.items.slice(0, 1 + (i % 2)) };
        view.recommended = view.recommended.slice(0, i % 4);
        out.push({
          template: step.email.template,
          subject: step.email.subject,
          source: resolved.source.text,
          view,
        });
      }
    }
  }
  return out;
}

/** One side's running totals: emails done, wall and CPU milliseconds spent. */
interface Side {
  one: (job: Job) => Promise<unknown>;
  /** Emails between clock reads: one for the naive side, whose emails take ~10 ms each. */
  step: number;
  done: number;
  wallMs: number;
  cpuMs: number;
}

const side = (one: Side['one'], step: number): Side => ({ one, step, done: 0, wallMs: 0, cpuMs: 0 });

/** Runs a side over the jobs, round-robin, for about `ms` milliseconds, adding to its totals. */
async function slice(all: Job[], s: Side, ms: number): Promise<void> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  while (performance.now() - started < ms) {
    for (let i = 0; i < s.step; i++) await s.one(all[s.done++ % all.length]!);
  }
  const cpu = process.cpuUsage(cpuStarted);
  s.wallMs += performance.now() - started;
  s.cpuMs += (cpu.user + cpu.system) / 1000;
}

/**
 * Emails per second of wall time and per second of this process's CPU time
 * (what one core would give on a machine busy with other work).
 */
const perSecond = (s: Side) => ({ wall: s.done / (s.wallMs / 1000), cpu: s.done / (s.cpuMs / 1000) });

export async function run(): Promise<BenchResult> {
  const all = await jobs();
  const renderer = createMjmlRenderer({ emailsDir: join(root, 'emails') });
  // Warm both paths (JIT, MJML's lazy component registry, the compile cache).
  for (const job of all.slice(0, 50)) await renderer.render(job.template, job.subject, job.view);
  for (const job of all.slice(0, 5)) await renderNaively(job.source, job.subject, job.view);

  // The sides take turns in quarter-second slices, so a burst of other work on
  // a shared machine lands on both rather than skewing the ratio.
  const naiveSide = side((job) => renderNaively(job.source, job.subject, job.view), 1);
  const fastSide = side((job) => renderer.render(job.template, job.subject, job.view), 50);
  while (naiveSide.wallMs < seconds * 1000 || fastSide.wallMs < seconds * 1000) {
    if (naiveSide.wallMs < seconds * 1000) await slice(all, naiveSide, 250);
    if (fastSide.wallMs < seconds * 1000) await slice(all, fastSide, 250);
  }
  const naiveRate = perSecond(naiveSide);
  const fastRate = perSecond(fastSide);
  const naive = naiveRate.wall;
  const fast = fastRate.wall;
  log(`naive: ${naive.toFixed(1)} emails/s (MJML compile per recipient)`);
  log(
    `compile once, fill many: ${fast.toFixed(0)} emails/s, ${renderer.compilations} MJML compilations in all`,
  );
  log(
    `per CPU-second (for a busy machine): fast ${fastRate.cpu.toFixed(0)}, naive ${naiveRate.cpu.toFixed(1)}, ` +
      `ratio ${(fastRate.cpu / naiveRate.cpu).toFixed(0)}; the goals below use wall time`,
  );

  const ratio = fast / naive;
  const pass = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  log(
    `goals: ratio ${ratio.toFixed(0)} >= ${goals.ratio} ${pass(ratio >= goals.ratio)}, ` +
      `${fast.toFixed(0)} >= ${goals.perSecond} emails/s ${pass(fast >= goals.perSecond)}; baseline = naive emails/s`,
  );
  return {
    name: 'render',
    ratio,
    figures: { fast_per_s: Math.round(fast), naive_per_s: Number(naive.toFixed(1)) },
    baseline: Number(naive.toFixed(1)),
  };
}
