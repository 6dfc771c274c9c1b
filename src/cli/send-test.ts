// rekindle send-test CAMPAIGN --to ADDRESS [--step N]: renders the campaign
// step for the sample shopper and sends it through the configured transport,
// composed, signed and tracked like a real message. Writes nothing to the
// database and issues no coupon (the sample offer's code is not valid).
import { resolve } from 'node:path';
import { TemplateError } from '../adapters/templates/mjml-renderer.ts';
import { sampleView } from '../core/rendering/sample-view.ts';
import { createNodeDelivery } from '../entry/node-delivery.ts';
import { prepareMail } from '../services/delivery/prepare-mail.ts';
import { parseCommandLine, parseStepNumber } from './args.ts';
import { findCampaignStep, loadCampaignSetFor } from './campaign-set.ts';
import { type Command, printJson, UsageError } from './io.ts';

const usage = 'usage: rekindle send-test CAMPAIGN --to ADDRESS [--step N] [--json]';

export const sendTestCommand: Command = async (argv, io) => {
  const args = parseCommandLine(argv, {
    usage,
    options: {
      to: { type: 'string' },
      step: { type: 'string' },
      json: { type: 'boolean' },
    },
    positionals: ['campaign'],
  });
  const { values, positionals } = args;
  const campaignId = positionals[0]!;
  const to = values.to?.trim();
  if (!to || !/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(to)) {
    throw new UsageError(`--to needs an email address; ${usage}`);
  }
  // Checked before the campaign files load: a bad --step costs nothing.
  const stepIndex = parseStepNumber(values.step);

  const set = await loadCampaignSetFor(io, 'nothing sent');
  if (!set) return 1;
  const { campaign, step } = findCampaignStep(set, campaignId, stepIndex);

  const store = await io.openStore();
  const delivery = await createNodeDelivery({ config: io.config, store, campaigns: set, now: io.now });
  try {
    if (delivery.warning) io.stderr.write(`rekindle: ${delivery.warning}\n`);
    const now = io.now();
    // A fresh id and dedupe key per test send: its own Message-ID, never a customer's.
    const id = `test-${crypto.randomUUID()}`;
    let prepared: Awaited<ReturnType<typeof prepareMail>>;
    try {
      prepared = await prepareMail(
        { id, dedupeKey: `send-test:${id}`, campaignId: campaign.id, to },
        step,
        async (unsubscribeUrl) => ({
          ...sampleView(campaign, set.settings, { step: step.index, now, unsubscribeUrl }),
        }),
        {
          renderer: delivery.options.renderer,
          trackLinks: delivery.options.trackLinks,
          unsubscribeUrl: delivery.options.unsubscribeUrl,
          unsubscribeMailto:
            delivery.options.unsubscribeMailto ??
            set.settings.sender.replyTo ??
            set.settings.sender.fromEmail,
          settings: set.settings,
        },
        now,
      );
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      io.stderr.write(`rekindle: ${error.message}\n`);
      return 1;
    }
    if (!prepared) throw new Error('the sample view is never empty');
    const outcome = await delivery.transport.send(prepared.mail);
    const where =
      delivery.transport.name === 'eml'
        ? resolve(io.config.OUTBOX_DIR, `${id}.eml`)
        : delivery.transport.name;
    if (values.json) {
      printJson(io, {
        campaign: campaign.id,
        step: step.index,
        transport: delivery.transport.name,
        message_id: prepared.mail.messageId,
        outcome,
      });
      return outcome.kind === 'delivered' ? 0 : 1;
    }
    if (outcome.kind === 'delivered') {
      io.stdout.write(`sent ${campaign.id} step ${step.index + 1} to ${to} via ${where}\n`);
      return 0;
    }
    io.stderr.write(`rekindle: not sent (${outcome.kind}): ${outcome.reason}\n`);
    return 1;
  } finally {
    await delivery.close();
    await store.close();
  }
};
