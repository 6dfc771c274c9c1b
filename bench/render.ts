// Render benchmark: personalized emails per second on one core, compile-once-
// fill-many (MJML compiled once per template, Liquid filled per recipient)
// beside the naive way (fill the MJML with Liquid, compile it per recipient),
// in the same run over the same recipients and the shipped templates.
// ratio = fast rate / naive rate; baseline = the naive rate.
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

/**
 * Runs `one` over the jobs, round-robin, for about `budget` seconds: emails
 * per second of wall time, and per second of this process's CPU time (what
 * one core would give on a machine busy with other work).
 */
async function rate(
  all: Job[],
  budget: number,
  one: (job: Job) => Promise<unknown>,
): Promise<{ wall: number; cpu: number }> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let done = 0;
  while (performance.now() - started < budget * 1000) {
    for (let i = 0; i < 50; i++) await one(all[done++ % all.length]!);
  }
  const cpu = process.cpuUsage(cpuStarted);
  return {
    wall: done / ((performance.now() - started) / 1000),
    cpu: done / ((cpu.user + cpu.system) / 1e6),
  };
}

export async function run(): Promise<BenchResult> {
  const all = await jobs();
  const renderer = createMjmlRenderer({ emailsDir: join(root, 'emails') });
  // Warm both paths (JIT, MJML's lazy component registry, the compile cache).
  for (const job of all.slice(0, 50)) await renderer.render(job.template, job.subject, job.view);
  for (const job of all.slice(0, 5)) await renderNaively(job.source, job.subject, job.view);

  const naiveRate = await rate(all, seconds, (job) => renderNaively(job.source, job.subject, job.view));
  const naive = naiveRate.wall;
  log(`naive: ${naive.toFixed(1)} emails/s (MJML compile per recipient)`);
  const fastRate = await rate(all, seconds, (job) => renderer.render(job.template, job.subject, job.view));
  const fast = fastRate.wall;
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
