// Data-subject requests: export everything stored about a customer, and the
// writes that erase their personal data while the rows that counts are made
// of (orders, messages, events, redemptions) stay, anonymous (the erasure
// itself is services/privacy/erase-customer.ts). What counts as theirs: rows
// with their customer id, plus guest rows (no customer id) with their address.
// An erased address stays in `suppressions` as a hash, so it is never mailed
// again. Never logs an address.
import { eq, type SQL, sql } from 'drizzle-orm';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { hashEmail, normalizeEmail } from '../../core/email-hash.ts';
import * as tables from '../schema/index.ts';
import {
  browseEvents,
  carts,
  customers,
  messages,
  trackingEvents,
  waitlistEntries,
} from '../schema/index.ts';
import type { Statement, Store } from '../store.ts';

type Row = Record<string, unknown>;

export interface CustomerExport {
  customer: Row;
  orders: Row[];
  carts: Row[];
  waitlist: Row[];
  messages: Row[];
  coupons: Row[];
  redemptions: Row[];
  /** Codes on their orders (or their coupons' codes) the redemption rule refused. */
  coupon_rejections: Row[];
  /** What they looked at on the shop, oldest first. */
  browse: Row[];
  /** Whether the address is on the never-mail list (kept as a hash). */
  address_suppressed: boolean;
}

/** A customer, by id, and the normalized address their guest rows may carry. */
export interface CustomerOwner {
  id: string;
  email: string | null;
}

export async function findOwner(
  store: Store,
  customerId: string,
): Promise<(CustomerOwner & { row: Row }) | null> {
  const [row] = await store.db.all<Row>(
    sql`SELECT ${columnsOf(tables.customers, 'customers')} FROM customers WHERE id = ${customerId}`,
  );
  if (!row) return null;
  const email = typeof row.email === 'string' && row.email !== '' ? normalizeEmail(row.email) : null;
  return { id: customerId, email, row };
}

/**
 * Every column of `table`, as SELECT * would list them, except that an
 * integer past 2^53 comes back as its exact decimal text: the driver refuses
 * to read one as a number, and an export must never fail on a stored value.
 * Values written through the API stay far below (money-bounds.ts); rows from
 * before those bounds may not.
 */
function columnsOf(table: SQLiteTable, alias: string): SQL {
  const columns = getTableConfig(table).columns.map((column) => {
    const name = `${alias}."${column.name}"`;
    if (column.getSQLType() !== 'integer') return `${name} AS "${column.name}"`;
    return `CASE WHEN ${name} BETWEEN -9007199254740991 AND 9007199254740991 OR typeof(${name}) <> 'integer'
      THEN ${name} ELSE cast(${name} AS text) END AS "${column.name}"`;
  });
  return sql.raw(columns.join(', '));
}

/** Rows of `alias` that belong to the owner: theirs by id, or a guest's with their address. */
function owned(alias: string, owner: CustomerOwner): SQL {
  const a = sql.raw(alias);
  if (owner.email === null) return sql`${a}.customer_id = ${owner.id}`;
  return sql`(${a}.customer_id = ${owner.id} OR (${a}.customer_id IS NULL AND ${a}.email = ${owner.email}))`;
}

export async function exportCustomer(store: Store, customerId: string): Promise<CustomerExport | null> {
  const owner = await findOwner(store, customerId);
  if (!owner) return null;
  const all = (query: SQL) => store.db.all<Row>(query).then((rows) => rows.map(present));
  const ownedMessages = sql`SELECT m.id FROM messages m WHERE ${owned('m', owner)}`;
  const ownedOrders = sql`SELECT o.id FROM orders o WHERE o.customer_id = ${owner.id}`;
  const ownedCoupons = sql`SELECT k.code FROM coupons k
    WHERE k.customer_id = ${owner.id} OR k.message_id IN (${ownedMessages})`;

  const [
    orders,
    orderItems,
    carts,
    cartItems,
    waitlist,
    messages,
    events,
    coupons,
    redemptions,
    rejections,
    browse,
  ] = await Promise.all([
    all(
      sql`SELECT ${columnsOf(tables.orders, 'o')} FROM orders o WHERE o.customer_id = ${owner.id} ORDER BY o.placed_at, o.id`,
    ),
    all(
      sql`SELECT ${columnsOf(tables.orderItems, 'i')} FROM order_items i WHERE i.order_id IN (${ownedOrders}) ORDER BY i.order_id, i.line_no`,
    ),
    all(
      sql`SELECT ${columnsOf(tables.carts, 'c')} FROM carts c WHERE ${owned('c', owner)} ORDER BY c.created_at, c.id`,
    ),
    all(sql`SELECT ${columnsOf(tables.cartItems, 'i')} FROM cart_items i JOIN carts c ON c.id = i.cart_id
        WHERE ${owned('c', owner)} ORDER BY i.cart_id, i.line_no`),
    all(
      sql`SELECT ${columnsOf(tables.waitlistEntries, 'w')} FROM waitlist_entries w WHERE ${owned('w', owner)} ORDER BY w.created_at, w.id`,
    ),
    all(
      sql`SELECT ${columnsOf(tables.messages, 'm')} FROM messages m WHERE ${owned('m', owner)} ORDER BY m.created_at, m.id`,
    ),
    all(
      sql`SELECT ${columnsOf(tables.trackingEvents, 'e')} FROM tracking_events e WHERE e.message_id IN (${ownedMessages}) ORDER BY e.at, e.id`,
    ),
    all(
      sql`SELECT ${columnsOf(tables.coupons, 'k')} FROM coupons k WHERE k.code IN (${ownedCoupons}) ORDER BY k.created_at, k.code`,
    ),
    all(sql`SELECT ${columnsOf(tables.redemptions, 'r')} FROM redemptions r
        WHERE r.order_id IN (${ownedOrders}) OR r.coupon_code IN (${ownedCoupons}) ORDER BY r.at, r.id`),
    all(sql`SELECT ${columnsOf(tables.couponRejections, 'j')} FROM coupon_rejections j
        WHERE j.order_id IN (${ownedOrders}) OR j.code IN (${ownedCoupons}) ORDER BY j.at, j.id`),
    all(sql`SELECT ${columnsOf(tables.browseEvents, 'b')} FROM browse_events b
        WHERE b.customer_id = ${owner.id} ORDER BY b.at, b.kind, b.ref`),
  ]);
  const [suppressed] = owner.email
    ? await store.db.all<{ found: number }>(
        sql`SELECT EXISTS (SELECT 1 FROM suppressions WHERE email_hash = ${await hashEmail(owner.email)}) AS found`,
      )
    : [{ found: 0 }];

  return {
    customer: present(owner.row),
    orders: nest(orders, orderItems, 'id', 'order_id', 'items'),
    carts: nest(carts, cartItems, 'id', 'cart_id', 'items'),
    waitlist,
    messages: nest(messages, events, 'id', 'message_id', 'events'),
    coupons,
    redemptions,
    coupon_rejections: rejections,
    browse,
    address_suppressed: Boolean(suppressed?.found),
  };
}

/**
 * The updates that erase the customer's personal data (besides suppressing
 * the address, which the caller adds first, while the address is still there
 * to match on). Kept: the row ids and every count (orders, messages, events,
 * redemptions), country (coarse, for per-country figures), coupon codes.
 * Each statement changes nothing on a second run.
 */
export function erasureStatements(
  store: Store,
  owner: CustomerOwner,
  options: { emailHash: string | null; now: number },
): Statement[] {
  const { emailHash, now } = options;
  const statements: Statement[] = [];
  // Builders, not db.run(sql): drizzle's D1 batch binds parameters only for
  // builder queries.
  statements.push(
    store.db
      .update(trackingEvents)
      .set({ userAgent: null, ip: null })
      .where(sql`${trackingEvents.messageId} IN (SELECT m.id FROM messages m WHERE ${owned('m', owner)})
        AND (${trackingEvents.userAgent} IS NOT NULL OR ${trackingEvents.ip} IS NOT NULL)`),
  );
  // Dedupe keys and trigger refs of guest mail and waitlist entries spell the
  // address; the hash keeps them unique without it.
  const tag = emailHash ? `sha256:${emailHash}` : null;
  const unspell = (column: SQLiteColumn) =>
    owner.email && tag ? sql`replace(${column}, ${owner.email}, ${tag})` : sql`${column}`;
  statements.push(
    store.db
      .update(messages)
      .set({
        email: null,
        lastError: null,
        dedupeKey: unspell(messages.dedupeKey),
        triggerRef: unspell(messages.triggerRef),
        updatedAt: now,
      })
      .where(
        sql`${owned('messages', owner)} AND (${messages.email} IS NOT NULL OR ${messages.lastError} IS NOT NULL)`,
      ),
    store.db
      .update(carts)
      .set({ email: null, recoveryUrl: null, updatedAt: now })
      .where(
        sql`${owned('carts', owner)} AND (${carts.email} IS NOT NULL OR ${carts.recoveryUrl} IS NOT NULL)`,
      ),
  );
  if (owner.email) {
    // waitlist_entries.email is NOT NULL; an empty address plus notified_at
    // keeps the sign-up countable and out of every back-in-stock sweep.
    statements.push(
      store.db
        .update(waitlistEntries)
        .set({
          id: unspell(waitlistEntries.id),
          email: '',
          notifiedAt: sql`coalesce(${waitlistEntries.notifiedAt}, ${now})`,
        })
        .where(owned('waitlist_entries', owner)),
    );
  }
  // What they looked at is theirs alone and counts nothing: it goes whole.
  statements.push(store.db.delete(browseEvents).where(eq(browseEvents.customerId, owner.id)));
  statements.push(
    store.db
      .update(customers)
      .set({
        email: null,
        firstName: null,
        lastName: null,
        locale: null,
        timezone: null,
        tags: '[]',
        erasedAt: sql`coalesce(${customers.erasedAt}, ${now})`,
        updatedAt: sql`CASE WHEN ${customers.erasedAt} IS NULL THEN ${now} ELSE ${customers.updatedAt} END`,
      })
      .where(eq(customers.id, owner.id)),
  );
  return statements;
}

/** When the customer was first erased, or null if never. */
export async function findErasedAt(store: Store, customerId: string): Promise<number | null> {
  const [row] = await store.db.all<{ erased_at: number | null }>(
    sql`SELECT erased_at FROM customers WHERE id = ${customerId}`,
  );
  return row?.erased_at ?? null;
}

const jsonColumns = new Set(['tags', 'discount_codes', 'links']);
const booleanColumns = new Set(['marketing_consent', 'is_proxy', 'in_stock']);

/** API shape: times as ISO 8601, JSON columns parsed, flags as booleans. */
function present(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if ((key.endsWith('_at') || key.endsWith('_until')) && typeof value === 'number') {
      out[key] = new Date(value).toISOString();
    } else if (jsonColumns.has(key) && typeof value === 'string') {
      out[key] = parseJson(value);
    } else if (booleanColumns.has(key) && typeof value === 'number') {
      out[key] = value !== 0;
    } else {
      out[key] = value;
    }
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function nest(parents: Row[], children: Row[], key: string, foreignKey: string, as: string): Row[] {
  const byParent = new Map<unknown, Row[]>();
  for (const child of children) {
    const { [foreignKey]: parent, ...rest } = child;
    byParent.set(parent, [...(byParent.get(parent) ?? []), rest]);
  }
  return parents.map((parent) => ({ ...parent, [as]: byParent.get(parent[key]) ?? [] }));
}
