// rekindle preview CAMPAIGN: renders one campaign step's email for a sample
// shopper (default) or a real customer (--customer ID: their cart, waitlist
// and recommendations, with a sample coupon), to stdout or a file. Never
// issues a coupon and never writes to the database.
import { writeFile } from 'node:fs/promises';
import { normalize } from 'node:path';
import { createMjmlRenderer, TemplateError } from '../adapters/templates/mjml-renderer.ts';
import { termsIn } from '../core/offers/discount.ts';
import type { EmailView } from '../core/rendering/contract.ts';
import { previewUnsubscribeUrl, sampleView } from '../core/rendering/sample-view.ts';
import { createViewBuilder } from '../services/render/build-view.ts';
import { parseCommandLine, parseStepNumber } from './args.ts';
import { findCampaignStep, loadCampaignSetFor } from './campaign-set.ts';
import { type Command, printJson, UsageError } from './io.ts';

const usage =
  'usage: rekindle preview CAMPAIGN [--step N] [--customer ID | --sample [--currency CODE]] [--out file.html] [--text] [--json]';

export const previewCommand: Command = async (argv, io) => {
  const args = parseCommandLine(argv, {
    usage,
    options: {
      step: { type: 'string' },
      customer: { type: 'string' },
      sample: { type: 'boolean' },
      currency: { type: 'string' },
      out: { type: 'string' },
      text: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    positionals: ['campaign'],
  });
  const { values, positionals } = args;
  const campaignId = positionals[0]!;
  if (values.customer !== undefined && values.sample)
    throw new UsageError('--customer and --sample exclude each other');
  if (values.customer !== undefined && values.customer.trim() === '')
    throw new UsageError('--customer needs an id');
  if (values.currency !== undefined && values.customer !== undefined)
    throw new UsageError("--currency is for the sample; a real customer's email uses their own currency");
  const currency = values.currency?.trim().toUpperCase();
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency))
    throw new UsageError(`--currency must be a 3-letter ISO 4217 code like EUR, got '${values.currency}'`);
  // Checked before the campaign files load: a bad --step costs nothing.
  const stepIndex = parseStepNumber(values.step);

  const emailsDir = normalize(io.config.EMAILS_DIR);
  const set = await loadCampaignSetFor(io, 'nothing rendered');
  if (!set) return 1;
  const { campaign, step } = findCampaignStep(set, campaignId, stepIndex);

  const now = io.now();
  const gap = currency && step.offer ? termsIn(step.offer, currency) : undefined;
  if (gap && 'gap' in gap) {
    io.stderr.write(
      `warning: ${gap.gap}: customers who buy in ${currency} are not sent this step; the sample shows its first currency's figures\n`,
    );
  }
  let view: EmailView | null;
  if (values.customer === undefined) {
    view = sampleView(campaign, set.settings, {
      step: step.index,
      now,
      unsubscribeUrl: previewUnsubscribeUrl,
      currency,
    });
  } else {
    const store = await io.openStore();
    try {
      view = await createViewBuilder({ store, campaigns: set }).forPreview({
        campaign,
        step: step.index,
        customerId: values.customer,
        now,
        unsubscribeUrl: previewUnsubscribeUrl,
      });
    } finally {
      await store.close();
    }
    if (!view) throw new UsageError(`no customer '${values.customer}'`);
  }

  let email: Awaited<ReturnType<ReturnType<typeof createMjmlRenderer>['render']>>;
  try {
    email = await createMjmlRenderer({ emailsDir }).render(step.email.template, step.email.subject, view);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    for (const p of error.problems)
      io.stderr.write(`${emailsDir}/${p.file}:${p.line}:${p.column} ${p.message}\n`);
    io.stderr.write(`rekindle: ${step.email.template} does not compile; nothing rendered\n`);
    return 1;
  }

  const htmlBytes = new TextEncoder().encode(email.html).length;
  if (values.json) {
    printJson(io, {
      campaign: campaign.id,
      step: step.index,
      customer_id: values.customer ?? null,
      template: step.email.template,
      subject: email.subject,
      html: email.html,
      text: email.text,
      html_bytes: htmlBytes,
    });
    return 0;
  }
  const body = values.text ? `Subject: ${email.subject}\n\n${email.text}\n` : email.html;
  if (values.out === undefined) {
    io.stdout.write(body);
    return 0;
  }
  await writeFile(values.out, body);
  io.stdout.write(
    `wrote ${values.out} (${values.text ? 'text' : `HTML, ${(htmlBytes / 1024).toFixed(1)} KB`})\nsubject: ${email.subject}\n`,
  );
  return 0;
};
