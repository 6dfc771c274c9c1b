// What each campaign brought back (GET /v1/reports/campaigns, the dashboard,
// `rekindle report`, the demo's closing table): the aggregates the database
// returns for the cohort, put together by the pure core per campaign, step
// and day (in the shop's time zone), with the mailed-versus-holdout lift.
// Campaigns are named and given
// their attribution windows by the campaign files when there are some; an
// enabled campaign that mailed nobody yet still gets its (empty) report.
// Read-only.
import { buildReports } from '../../core/reports/build.ts';
import { reportTimeZone } from '../../core/reports/range.ts';
import type { CampaignInfo, CampaignReport } from '../../core/reports/types.ts';
import {
  fallbackAttributionDays,
  loadReportFacts,
  type ReportOptions,
} from '../../db/repositories/reports.ts';
import type { Store } from '../../db/store.ts';

export interface BuildCampaignReportPorts {
  store: Store;
}

export type { ReportOptions as BuildCampaignReportInput };

/** One report per campaign, sorted by id; with `campaignId`, that one or none. */
export async function buildCampaignReports(
  ports: BuildCampaignReportPorts,
  input: ReportOptions,
): Promise<CampaignReport[]> {
  const known = new Map((input.campaigns?.campaigns ?? []).map((c) => [c.id, c]));
  const attributionDays = Object.fromEntries([...known.values()].map((c) => [c.id, c.attributionDays]));
  const facts = await loadReportFacts(ports.store, { ...input, attributionDays });
  const ids = new Set(facts.steps.map((row) => row.campaignId));
  for (const campaign of known.values()) {
    // A campaign that mailed nobody yet still belongs in the list while it is enabled.
    if (campaign.enabled && (input.campaignId === undefined || input.campaignId === campaign.id)) {
      ids.add(campaign.id);
    }
  }
  const infos: CampaignInfo[] = [...ids].sort().map((id) => ({
    id,
    name: known.get(id)?.name ?? null,
    attributionDays: known.get(id)?.attributionDays ?? fallbackAttributionDays,
  }));
  return buildReports(facts, infos, input.timeZone ?? reportTimeZone(input.campaigns));
}
