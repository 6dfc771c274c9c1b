// Checks that need more than one campaign file: templates exist in the emails
// folder, subjects are valid Liquid, priorities do not tie silently, consent
// settings take effect. The loader runs a list of these; `rekindle validate`
// may add more (template checks). A check reports findings; it never throws
// for bad user input and never changes a campaign.
import { readdir } from 'node:fs/promises';
import { createLiquidEngines } from '../adapters/templates/liquid-engines.ts';
import { liquidErrorMessage } from '../adapters/templates/liquid-names.ts';
import { compareIds, stepSourcePath } from '../core/campaigns/campaign.ts';
import { needsMarketingConsent } from '../core/campaigns/consent.ts';
import { formatPath } from '../core/campaigns/issues.ts';
import type { Campaign, ShopSettings } from '../core/campaigns/types.ts';
import { currencyProblem } from '../core/delivery/checkout-codes.ts';
import { termsIn } from '../core/offers/discount.ts';
import type { Position } from './yaml-source.ts';

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the offending field, '' for the whole file. */
  field: string;
  message: string;
}

export interface LoadedCampaign {
  id: string;
  file: string;
  campaign: Campaign;
  /** Position of a field of the file, by its path in the file's content. */
  locate(path: readonly (string | number)[], at?: 'key' | 'value'): Position;
}

export interface CheckContext {
  /** Campaigns whose own file validated (enabled or not). */
  campaigns: readonly LoadedCampaign[];
  /** null when the settings file is missing or invalid. */
  settings: ShopSettings | null;
  settingsFile: string;
  emailsDir: string;
}

export interface Finding extends Diagnostic {
  severity: 'error' | 'warning';
  /**
   * Ids of the campaigns an error fails when its file is not theirs (a
   * template or partial they use); a campaign file's own errors fail it anyway.
   */
  campaigns?: string[];
}

/** Diagnostics in reading order: by file, then line, then column. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return compareIds(a.file, b.file) || a.line - b.line || a.column - b.column;
}

export type CampaignCheck = (ctx: CheckContext) => Promise<Finding[]> | Finding[];

function finding(
  loaded: LoadedCampaign,
  path: (string | number)[],
  severity: Finding['severity'],
  message: (field: string) => string,
): Finding {
  const field = formatPath(path);
  return { file: loaded.file, ...loaded.locate(path), field, message: message(field), severity };
}

/** Every step's email.template is a file in the emails folder. */
export const templatesExist: CampaignCheck = async ({ campaigns, emailsDir }) => {
  let available: string[] | undefined;
  try {
    available = (await readdir(emailsDir, { withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name);
  } catch {
    available = undefined;
  }
  const names = new Set(available);
  return campaigns.flatMap((loaded) =>
    loaded.campaign.steps
      .filter((step) => !names.has(step.email.template))
      .map((step) =>
        finding(
          loaded,
          [...stepSourcePath(loaded.campaign, step.index), 'email', 'template'],
          'error',
          (field) =>
            available === undefined
              ? `${field} names '${step.email.template}', but the emails folder '${emailsDir}' does not exist`
              : `${field} names '${step.email.template}', which is not a file in '${emailsDir}' (found: ${
                  available.filter((n) => n.endsWith('.mjml')).join(', ') || 'no .mjml files'
                })`,
        ),
      ),
  );
};

// The engine that renders subject lines: its strictFilters makes a misspelt
// filter ({{ name | defualt: 'x' }}) a parse error instead of a silently
// empty subject line, and its filters are the ones a subject may use.
const liquid = createLiquidEngines().text;

/** Every subject line parses as Liquid with known filters. */
export const subjectsParse: CampaignCheck = ({ campaigns }) =>
  campaigns.flatMap((loaded) =>
    loaded.campaign.steps.flatMap((step) => {
      try {
        liquid.parse(step.email.subject);
        return [];
      } catch (error) {
        const reason = liquidErrorMessage(error, liquid);
        const path = [...stepSourcePath(loaded.campaign, step.index), 'email', 'subject'];
        return [finding(loaded, path, 'error', (field) => `${field} is not valid Liquid: ${reason}`)];
      }
    }),
  );

/** Warns when enabled campaigns of one trigger type share a priority. */
export const priorityTies: CampaignCheck = ({ campaigns }) => {
  const groups = new Map<string, LoadedCampaign[]>();
  for (const loaded of campaigns) {
    if (!loaded.campaign.enabled) continue;
    const key = `${loaded.campaign.trigger.type}:${loaded.campaign.priority}`;
    groups.set(key, [...(groups.get(key) ?? []), loaded]);
  }
  return [...groups.values()].flatMap((group) => {
    const [winner, ...others] = [...group].sort((a, b) => compareIds(a.id, b.id));
    if (!winner) return [];
    return others.map((loaded) =>
      finding(
        loaded,
        ['priority'],
        'warning',
        (field) =>
          `${field} ${loaded.campaign.priority} is also the priority of ${winner.id}, another enabled ${loaded.campaign.trigger.type} campaign; ties are broken by id, so ${winner.id} wins for customers both want`,
      ),
    );
  });
};

/** Warns when consent: shop_policy has no effect under the shop's settings. */
export const consentPolicyApplies: CampaignCheck = ({ campaigns, settings, settingsFile }) => {
  if (!settings) return [];
  return campaigns
    .filter(
      (loaded) =>
        loaded.campaign.consent === 'shop_policy' &&
        loaded.campaign.steps.every((step) => needsMarketingConsent(loaded.campaign, settings, step.index)),
    )
    .map((loaded) =>
      finding(
        loaded,
        ['consent'],
        'warning',
        (field) =>
          `${field} is shop_policy, but ${settingsFile} consent.non_subscribers_may_receive allows no ${loaded.campaign.trigger.type} sends, so every send still needs marketing consent`,
      ),
    );
};

/** Warns about an offer that gives the goods away: percent_off of 100. */
export const wholeOrderFree: CampaignCheck = ({ campaigns }) =>
  campaigns.flatMap((loaded) =>
    loaded.campaign.steps.flatMap(({ index, offer }) =>
      offer?.kind === 'percent_off' && offer.percent >= 100
        ? [
            finding(
              loaded,
              [...stepSourcePath(loaded.campaign, index), 'offer', 'value'],
              'warning',
              (field) =>
                `${field} is ${offer.percent} percent off: every order with the code is free; is that meant?`,
            ),
          ]
        : [],
    ),
  );

/**
 * With a shop checkout making the codes (Shopify, WooCommerce: they count a
 * coupon's amounts in the shop currency), warns at each offer figure in
 * another currency: that currency's customers would get a code the checkout
 * cannot carry, so their message would fail unsent (currencyProblem, the
 * delivery's own rule). `checkouts` names the configured platforms.
 */
export function checkoutCurrencies(checkouts: readonly string[]): CampaignCheck {
  return ({ campaigns, settings }) => {
    if (!settings || checkouts.length === 0) return [];
    const names = checkouts.join(' and ');
    return campaigns.flatMap((loaded) =>
      loaded.campaign.steps.flatMap(({ index, offer }) => {
        if (!offer) return [];
        const fields: [string, Readonly<Record<string, number>> | null][] = [
          ['min_subtotal', offer.minSubtotal],
          ['value', offer.kind === 'amount_off' ? offer.amount : null],
        ];
        return fields.flatMap(([name, money]) =>
          Object.keys(money ?? {}).flatMap((currency) => {
            const written = termsIn(offer, currency);
            if ('gap' in written) return [];
            const problem = currencyProblem(
              { kind: offer.kind, currency, minSubtotalMinor: written.minSubtotalMinor },
              settings.currency,
            );
            if (!problem) return [];
            const path = [...stepSourcePath(loaded.campaign, index), 'offer', name, currency];
            return [
              finding(
                loaded,
                path,
                'warning',
                (field) =>
                  `${field}: the ${names} checkout counts coupon amounts in ${settings.currency}, so a code for a customer who buys in ${currency} cannot be made there and their message would fail unsent; give them a percent_off offer without a minimum, or figures in ${settings.currency} only`,
              ),
            ];
          }),
        );
      }),
    );
  };
}

export const defaultChecks: readonly CampaignCheck[] = [
  templatesExist,
  subjectsParse,
  priorityTies,
  consentPolicyApplies,
  wholeOrderFree,
];
