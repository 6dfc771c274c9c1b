// The SQL aggregates behind campaign reports: message and event counts per
// campaign step, trigger instances per group, a series per quarter hour (the
// core puts each in its day in the shop's zone), clicks per link, and the
// attributed orders. Everything is grouped in SQL except attributed orders,
// which are few (only purchases near a message) and are summed in the core
// (services/reports/build-campaign-report.ts puts the two together).
// Read-only: never writes.
import { type SQL, sql } from 'drizzle-orm';
import type { CampaignSet } from '../../core/campaigns/types.ts';
import type {
  AttributedFact,
  DailyFacts,
  InstanceFacts,
  LinkFacts,
  RejectionFacts,
  ReportFacts,
  StepFacts,
} from '../../core/reports/types.ts';
import { minuteMs } from '../../core/time.ts';
import type { Store } from '../store.ts';
import { attributedOrdersCte, int } from './attribution.ts';

// Every UTC offset in use is a whole number of quarter hours.
const quarterHourMs = 15 * minuteMs;

/** The attribution window for campaigns whose file is gone: the schema's usual value. */
export const fallbackAttributionDays = 7;

export interface ReportOptions {
  /** Names and attribution windows; without it, campaigns are known by id only. */
  campaigns?: CampaignSet | undefined;
  campaignId?: string | undefined;
  /** Only messages sent (or, unsent, due) at or after this time, and what followed them. */
  since?: number | undefined;
  /** ...and before this time (core/reports/range.ts turns from/to days into both). */
  until?: number | undefined;
  /** The zone of the report's days (core/reports/range.ts, reportTimeZone); the shop's by default. */
  timeZone?: string | undefined;
  now: number;
}

export async function loadReportFacts(
  store: Store,
  options: ReportOptions & { attributionDays: Record<string, number> },
): Promise<ReportFacts> {
  const cohort = cohortFilter(options);
  const [steps, instances, daily, attributed, rejections, links] = await Promise.all([
    stepFacts(store, cohort, options.now),
    instanceFacts(store, cohort, options.now),
    dailyFacts(store, cohort),
    attributedFacts(store, cohort, options),
    rejectionFacts(store, cohort),
    linkFacts(store, cohort),
  ]);
  return { steps, instances, daily, attributed, rejections, links };
}

function cohortFilter(options: ReportOptions): SQL {
  const parts: SQL[] = [sql`1 = 1`];
  if (options.campaignId !== undefined) parts.push(sql`m.campaign_id = ${options.campaignId}`);
  if (options.since !== undefined) parts.push(sql`coalesce(m.sent_at, m.due_at) >= ${int(options.since)}`);
  if (options.until !== undefined) parts.push(sql`coalesce(m.sent_at, m.due_at) < ${int(options.until)}`);
  return sql.join(parts, sql` and `);
}

const hasEvent = (kind: string, extra = '') =>
  sql.raw(
    `exists (select 1 from tracking_events e where e.message_id = m.id and e.kind = '${kind}'${extra})`,
  );

async function stepFacts(store: Store, cohort: SQL, now: number): Promise<StepFacts[]> {
  const rows = await store.db.all<StepFacts>(sql`
    select m.campaign_id as "campaignId", m.step as "step",
      sum(m.status <> 'held_out') as "scheduled",
      sum(m.status = 'held_out') as "heldOut",
      sum(m.status = 'held_out' and m.due_at <= ${int(now)}) as "heldOutDue",
      sum(m.status in ('scheduled', 'sending', 'ambiguous')) as "pending",
      sum(m.status = 'sent') as "sent",
      sum(m.resent_at is not null) as "resent",
      sum(m.status = 'failed') as "failed",
      sum(m.status = 'cancelled') as "cancelled",
      sum(m.status = 'suppressed') as "suppressed",
      sum(${hasEvent('delivered')}) as "delivered",
      sum(${hasEvent('bounce')}) as "bounced",
      sum(${hasEvent('open')}) as "opened",
      sum(${hasEvent('open', ' and e.is_proxy = 0')}) as "openedExcludingProxy",
      sum(${hasEvent('click')}) as "clicked",
      sum(${hasEvent('unsubscribe')}) as "unsubscribed",
      sum(${hasEvent('complaint')}) as "complained"
    from messages m
    where ${cohort}
    group by m.campaign_id, m.step
    order by m.campaign_id, m.step`);
  return rows.map((row) => numbers(row, ['campaignId', 'step']));
}

// A trigger instance: one customer's cart, restock or dormancy episode. A cart
// series mails up to three steps to one instance; the campaign's conversion
// counts the instance once.
const instanceKey = sql.raw(`coalesce(m.customer_id, m.email, m.id) || '|' || m.trigger_ref`);

async function instanceFacts(store: Store, cohort: SQL, now: number): Promise<InstanceFacts[]> {
  const rows = await store.db.all<InstanceFacts>(sql`
    select m.campaign_id as "campaignId",
      count(distinct case when m.status = 'sent' then ${instanceKey} end) as "mailed",
      count(distinct case when m.status = 'held_out' and m.due_at <= ${int(now)} then ${instanceKey} end)
        as "heldOutDue"
    from messages m
    where ${cohort}
    group by m.campaign_id`);
  return rows.map((row) => numbers(row, ['campaignId']));
}

async function dailyFacts(store: Store, cohort: SQL): Promise<DailyFacts[]> {
  const rows = await store.db.all<DailyFacts>(sql`
    with firsts as (
      select m.campaign_id, m.sent_at,
        (select min(e.at) from tracking_events e where e.message_id = m.id and e.kind = 'open') as opened_at,
        (select min(e.at) from tracking_events e where e.message_id = m.id and e.kind = 'click') as clicked_at
      from messages m
      where m.status = 'sent' and m.sent_at is not null and ${cohort}
    ),
    points as (
      select campaign_id, sent_at as at, 1 as sends, 0 as opens, 0 as clicks from firsts
      union all
      select campaign_id, opened_at, 0, 1, 0 from firsts where opened_at is not null
      union all
      select campaign_id, clicked_at, 0, 0, 1 from firsts where clicked_at is not null
    )
    select campaign_id as "campaignId", (at / ${int(quarterHourMs)}) * ${int(quarterHourMs)} as "at",
      sum(sends) as "sends", sum(opens) as "opens", sum(clicks) as "clicks"
    from points
    group by 1, 2
    order by 1, 2`);
  return rows.map((row) => numbers(row, ['campaignId']));
}

async function attributedFacts(
  store: Store,
  cohort: SQL,
  options: ReportOptions & { attributionDays: Record<string, number> },
): Promise<AttributedFact[]> {
  const rows = await store.db.all<AttributedFact>(sql`${attributedOrdersCte({
    attributionDays: options.attributionDays,
    defaultAttributionDays: fallbackAttributionDays,
    now: options.now,
  })}
    select m.campaign_id as "campaignId", m.step as "step", ${instanceKey} as "instanceKey",
      a.message_id as "messageId", a.kind as "kind", a.grp as "group", a.currency as "currency",
      a.total_minor as "totalMinor", a.discount_minor as "discountMinor", a.placed_at as "placedAt"
    from attributed a join messages m on m.id = a.message_id
    where ${cohort}
    order by a.placed_at, a.order_id`);
  return rows.map((row) =>
    numbers(row, ['campaignId', 'instanceKey', 'messageId', 'kind', 'group', 'currency']),
  );
}

// Rejected codes of the cohort's coupons (those of its messages), per reason.
async function rejectionFacts(store: Store, cohort: SQL): Promise<RejectionFacts[]> {
  const rows = await store.db.all<RejectionFacts>(sql`
    select m.campaign_id as "campaignId", j.reason as "reason", count(*) as "count"
    from coupon_rejections j
    join coupons c on c.code = j.code
    join messages m on m.id = c.message_id
    where ${cohort}
    group by m.campaign_id, j.reason
    order by 1, 2`);
  return rows.map((row) => numbers(row, ['campaignId', 'reason']));
}

// Clicks per URL: a click stores the index of the link in the message's
// stored links (services/tracking/record-engagement.ts), so the URL is that
// element of messages.links. People are distinct recipients.
async function linkFacts(store: Store, cohort: SQL): Promise<LinkFacts[]> {
  const rows = await store.db.all<LinkFacts>(sql`
    select campaign_id as "campaignId", url as "url", count(*) as "clicks",
      count(distinct person) as "people"
    from (
      select m.campaign_id, json_extract(m.links, '$[' || e.link_index || ']') as url,
        coalesce(m.customer_id, m.email, m.id) as person
      from tracking_events e join messages m on m.id = e.message_id
      where e.kind = 'click' and e.link_index is not null and json_valid(m.links) and ${cohort}
    ) clicks
    where typeof(url) = 'text'
    group by campaign_id, url
    order by 1, 3 desc, 2`);
  return rows.map((row) => numbers(row, ['campaignId', 'url']));
}

// SQLite sums come back as numbers on libSQL but may be null on empty groups
// and bigint-like on other drivers; every non-text column is made a number.
function numbers<T extends object>(row: T, textKeys: readonly (keyof T)[]): T {
  const out = { ...row } as Record<string, unknown>;
  for (const key of Object.keys(out)) {
    if (!textKeys.includes(key as keyof T)) out[key] = Number(out[key] ?? 0);
  }
  return out as T;
}
