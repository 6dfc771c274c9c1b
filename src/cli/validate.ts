// rekindle validate: checks the campaigns folder like a compiler, one
// "file:line:col message" line per problem and a summary; exit 1 on errors.
// --reference prints the campaign file reference instead. Never writes files.
import { normalize } from 'node:path';
import { subjectNames } from '../adapters/templates/name-checks.ts';
import { templateChecks } from '../adapters/templates/template-checks.ts';
import { byPosition, checkoutCurrencies, defaultChecks } from '../config/campaign-checks.ts';
import { type CampaignCheck, loadCampaigns } from '../config/campaign-loader.ts';
import { checkoutPlatformsConfig } from '../config/env.ts';
import { campaignReference } from '../core/campaigns/reference.ts';
import { parseCommandLine } from './args.ts';
import { type CliIO, type Command, printJson } from './io.ts';

/**
 * What `validate` checks beyond each file's schema. Template checks
 * (unsubscribe link, size, names, ...) are appended here as they are written.
 */
export const validateChecks: readonly CampaignCheck[] = [...defaultChecks, subjectNames, templateChecks];

const usage = 'usage: rekindle validate [--dir campaigns] [--emails emails] [--json] [--reference]';

export const validateCommand: Command = async (argv, io) => {
  const args = parseCommandLine(argv, {
    usage,
    options: {
      dir: { type: 'string' },
      emails: { type: 'string' },
      json: { type: 'boolean' },
      reference: { type: 'boolean' },
    },
  });
  const { values } = args;
  if (values.reference) {
    io.stdout.write(campaignReference());
    return 0;
  }

  const result = await loadCampaigns({
    dir: normalize(values.dir ?? io.config.CAMPAIGNS_DIR),
    emailsDir: normalize(values.emails ?? io.config.EMAILS_DIR),
    checks: [...validateChecks, checkoutCurrencies(configuredCheckouts(io))],
  });
  const errors = result.ok ? [] : result.errors;
  const campaigns = result.campaigns.map(({ campaign }) => ({
    id: campaign.id,
    name: campaign.name,
    trigger: campaign.trigger.type,
    enabled: campaign.enabled,
  }));

  if (values.json) {
    printJson(io, { ok: result.ok, campaigns, errors, warnings: result.warnings });
    return result.ok ? 0 : 1;
  }
  const lines = [
    ...errors.map((error) => ({ ...error, prefix: '' })),
    ...result.warnings.map((warning) => ({ ...warning, prefix: 'warning: ' })),
  ];
  for (const line of lines.sort(byPosition)) {
    io.stdout.write(`${line.file}:${line.line}:${line.column} ${line.prefix}${line.message}\n`);
  }
  io.stdout.write(`${summary(campaigns, errors.length, result.warnings.length)}\n`);
  return result.ok ? 0 : 1;
};

function summary(campaigns: { enabled: boolean }[], errors: number, warnings: number): string {
  const disabled = campaigns.filter((c) => !c.enabled).length;
  const ok = `${plural(campaigns.length, 'campaign')} OK${disabled > 0 ? ` (${disabled} disabled)` : ''}`;
  const warned = warnings > 0 ? `, ${plural(warnings, 'warning')}` : '';
  return errors > 0 ? `${plural(errors, 'error')}${warned}; ${ok}` : `${ok}${warned}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The shop checkouts this environment makes codes at (a half-configured one is serve's error to name, not validate's). */
function configuredCheckouts(io: CliIO): string[] {
  try {
    const platforms = checkoutPlatformsConfig(io.config);
    return [platforms.shopify ? 'Shopify' : null, platforms.woocommerce ? 'WooCommerce' : null].filter(
      (name): name is string => name !== null,
    );
  } catch {
    return [];
  }
}
