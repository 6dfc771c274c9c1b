// The trigger refs and instances of src/core/triggers/trigger-ref.ts as SQL
// expressions over a page's columns, made from the owner's constants so the
// SQL builds exactly the strings the TypeScript formats (a test on a real
// libSQL file compares both). Expressions only; no queries here.
import { type SQL, sql } from 'drizzle-orm';
import { triggerRefParts as p } from '../../core/triggers/trigger-ref.ts';

/** A constant of the owner as an SQL string literal (inlined: no bound parameter to count). */
export function literal(value: string): SQL {
  return sql.raw(`'${value.replaceAll("'", "''")}'`);
}

/** `lp<last purchase ms>`, as dormantRef formats it. */
export function dormantRefSql(lastPurchaseAt: SQL): SQL {
  return sql`${literal(p.dormant)} || ${lastPurchaseAt}`;
}

/** `cart<cart id>@<last activity ms>`, as cartRef formats it. */
export function cartRefSql(cartId: SQL, lastActivityAt: SQL): SQL {
  return sql`${literal(p.cart)} || ${cartId} || ${literal(p.cartAt)} || ${lastActivityAt}`;
}

/** `restock<id>`, as restockRef formats it. */
export function restockRefSql(restockId: SQL): SQL {
  return sql`${literal(p.restock)} || ${restockId}`;
}

/** `wl<entry id>`, as waitlistInstance formats it. */
export function waitlistInstanceSql(entryId: SQL): SQL {
  return sql`${literal(p.waitlist)} || ${entryId}`;
}

/** `bis<product id>cart<cart id>`, as heldCartInstance formats it. */
export function heldCartInstanceSql(productId: SQL, cartId: SQL): SQL {
  return sql`${literal(p.heldCart)} || ${productId} || ${literal(p.heldCartCart)} || ${cartId}`;
}

/** `view<product id>@<view ms>`, as browseRef formats it. */
export function browseRefSql(productId: SQL, viewedAt: SQL): SQL {
  return sql`${literal(p.view)} || ${productId} || ${literal(p.viewAt)} || ${viewedAt}`;
}

/** `drop<price_drops row id>`, as priceDropRef formats it. */
export function priceDropRefSql(dropId: SQL): SQL {
  return sql`${literal(p.priceDrop)} || ${dropId}`;
}

/** `refill<product id>@<purchase ms>`, as replenishRef formats it. */
export function replenishRefSql(productId: SQL, boughtAt: SQL): SQL {
  return sql`${literal(p.refill)} || ${productId} || ${literal(p.refillAt)} || ${boughtAt}`;
}
