// Waitlist sign-ups for the demo shop's sold-out products: a few per product,
// mostly existing customers, some guests who only left an address.
import type { ProductRecord, WaitlistRecord } from '../core/ingest/records.ts';
import { dayMs } from '../core/time.ts';
import { customerProfile } from './customers.ts';
import { deriveSeed, Rng } from './random.ts';

export function generateWaitlist(
  products: readonly ProductRecord[],
  shopSeed: number,
  customerCount: number,
  now: number,
): WaitlistRecord[] {
  const rng = new Rng(deriveSeed(shopSeed, 3));
  const entries: WaitlistRecord[] = [];
  for (const product of products) {
    if (product.inStock) continue;
    const emails = new Set<string>();
    const signUps = rng.int(2, 6);
    for (let i = 0; i < signUps; i++) {
      const fromCustomer = customerCount > 0 && rng.chance(0.75);
      const profile = fromCustomer ? customerProfile(shopSeed, rng.int(0, customerCount - 1)) : undefined;
      const email = profile?.email ?? `waitlist.${rng.hex(8)}@example.org`;
      if (emails.has(email)) continue;
      emails.add(email);
      entries.push({
        id: `${product.id}:${email}`,
        productId: product.id,
        customerId: profile?.id ?? null,
        email,
        createdAt: Math.round(now - rng.between(0.1, 45) * dayMs),
      });
    }
  }
  return entries;
}
