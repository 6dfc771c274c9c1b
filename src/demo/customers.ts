// Who a demo customer is: name, address, place, consent, tags and the buying
// habit (segment) their history will follow. A pure function of the shop seed
// and the customer's number, so a waitlist or a CSV can look a customer up
// without generating everyone before them. Never depends on `now`.
import { categories } from './catalog-data.ts';
import { type CountryData, countries, emailDomains } from './people-data.ts';
import { deriveSeed, Rng } from './random.ts';

export const segments = ['loyal', 'active', 'overdue', 'dormant', 'one_time', 'never'] as const;
export type Segment = (typeof segments)[number];

const segmentWeights: readonly (readonly [Segment, number])[] = [
  ['loyal', 20],
  ['active', 15],
  ['overdue', 12],
  ['dormant', 23],
  ['one_time', 15],
  ['never', 15],
];

export interface CustomerProfile {
  index: number;
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  country: string;
  timezone: string;
  /** Typical offset of the zone from UTC in hours, to place orders in waking hours. */
  utcOffsetHours: number;
  locale: string;
  currency: CountryData['currency'];
  tags: string[];
  marketingConsent: boolean;
  segment: Segment;
  favouriteCategory: string;
}

export function customerId(index: number): string {
  return `cus_${String(index + 1).padStart(7, '0')}`;
}

export function customerProfile(shopSeed: number, index: number): CustomerProfile {
  const rng = new Rng(deriveSeed(shopSeed, 1, index));
  const country = rng.weighted(countries.map((c) => [c, c.weight] as const));
  const [timezone, utcOffsetHours] = rng.pick(country.zones);
  const firstName = rng.pick(country.firstNames);
  const lastName = rng.pick(country.lastNames);
  const segment = rng.weighted(segmentWeights);
  const vipChance = segment === 'loyal' ? 0.15 : segment === 'active' ? 0.05 : 0.01;
  const tags: string[] = [];
  if (rng.chance(vipChance)) tags.push('vip');
  if (segment !== 'never' && rng.chance(0.02)) tags.push('wholesale');
  return {
    index,
    id: customerId(index),
    email: emailFor(rng, firstName, lastName, index),
    firstName,
    lastName,
    country: country.code,
    timezone,
    utcOffsetHours,
    locale: rng.pick(country.locales),
    currency: country.currency,
    tags,
    marketingConsent: rng.chance(0.75),
    segment,
    favouriteCategory: rng.pick(categories).name,
  };
}

// The customer's number keeps every address unique however many are generated.
function emailFor(rng: Rng, firstName: string, lastName: string, index: number): string {
  const first = asciiLocalPart(firstName);
  const last = asciiLocalPart(lastName);
  const n = index + 1;
  const local = rng.weighted([
    [`${first}.${last}.${n}`, 4],
    [`${first[0] ?? 'x'}${last}${n}`, 3],
    [`${first}${n}`, 2],
    [`${last}.${first}+shop${n}`, 1],
  ] as const);
  return `${local}@${rng.weighted(emailDomains)}`;
}

function asciiLocalPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
