// Bodies for the ingestion routes and POST /v1/events, built from the shapes
// of src/core/ingest/records.ts and provider-events.ts: every field the schema
// knows, each usually well formed and sometimes at its edge (a lone surrogate
// in a name, a price of 99999999.99, a javascript: URL), so the bodies get past
// validation often enough to reach the writes. Pure fast-check.
import fc from 'fast-check';
import {
  amount,
  currencyCode,
  emailText,
  externalIdText,
  hostileString,
  idPool,
  instantText,
  quantity,
  text,
  urlText,
} from './values.ts';

/** Mostly `clean`, sometimes `edge`: keeps most rows valid while every edge still turns up. */
const mostly = <T, U>(clean: fc.Arbitrary<T>, edge: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: clean as fc.Arbitrary<T | U>, weight: 9 }, { arbitrary: edge, weight: 1 });

const plainName = fc.constantFrom('Ada', 'Bo', 'Cy', 'Zoë', "O'Brien", 'Jean-Luc', null);
const id = mostly(fc.constantFrom(...idPool), externalIdText);
const optionalId = mostly(fc.constantFrom(...idPool, null), externalIdText);

const lineItem = fc.record(
  {
    product_id: optionalId,
    title: mostly(fc.constantFrom('Mug', 'Tea', null), text()),
    quantity,
    unit_price: amount,
  },
  { requiredKeys: ['quantity', 'unit_price'] },
);
const items = (max: number) =>
  fc.oneof(
    { arbitrary: fc.array(lineItem, { maxLength: 4 }), weight: 20 },
    {
      arbitrary: fc.constant(max + 1).chain((n) => fc.array(lineItem, { minLength: n, maxLength: n })),
      weight: 1,
    },
  );

export const customerRecord = fc.record(
  {
    id,
    email: mostly(fc.constantFrom('ada@example.com', 'bo@example.com', null), emailText),
    first_name: mostly(plainName, text()),
    last_name: mostly(plainName, text()),
    locale: mostly(fc.constantFrom('en-GB', 'de', 'fr-CA', null), text()),
    timezone: mostly(fc.constantFrom('Europe/London', 'America/New_York', 'Asia/Kolkata'), text()),
    country: mostly(fc.constantFrom('GB', 'de', 'US'), text(3)),
    tags: mostly(fc.array(fc.constantFrom('vip', 'wholesale', 'new'), { maxLength: 3 }), fc.array(text())),
    marketing_consent: fc.boolean(),
    created_at: instantText,
  },
  { requiredKeys: ['id'] },
);

export const orderRecord = fc.record(
  {
    id,
    customer_id: id,
    placed_at: instantText,
    status: mostly(fc.constantFrom('paid', 'cancelled', 'refunded', 'test'), text()),
    currency: currencyCode,
    total: amount,
    discount_codes: mostly(
      fc.array(fc.constantFrom('BACK-7KQ9', 'welcome10'), { maxLength: 2 }),
      fc.array(text()),
    ),
    items: items(1000),
  },
  { requiredKeys: ['id', 'customer_id', 'placed_at', 'currency', 'total'] },
);

export const cartRecord = fc.record(
  {
    id,
    customer_id: optionalId,
    email: mostly(fc.constantFrom('carter@example.com', null), emailText),
    status: mostly(fc.constantFrom('open', 'converted', 'deleted'), text()),
    currency: currencyCode,
    value: amount,
    recovery_url: urlText,
    last_activity_at: instantText,
    created_at: instantText,
    items: items(500),
  },
  { requiredKeys: ['id', 'currency', 'last_activity_at'] },
);

export const productRecord = fc.record(
  {
    id,
    title: mostly(fc.constantFrom('Mug', 'Tea towel'), text()),
    url: urlText,
    image_url: urlText,
    category: mostly(fc.constantFrom('Kitchen', null), text()),
    currency: currencyCode,
    price: amount,
    stock: mostly(fc.integer({ min: 0, max: 50 }), quantity),
    in_stock: fc.boolean(),
  },
  { requiredKeys: ['id', 'title', 'currency', 'price'] },
);

export const waitlistRecord = fc.record(
  {
    id: optionalId,
    product_id: id,
    customer_id: optionalId,
    email: emailText,
    created_at: instantText,
  },
  { requiredKeys: ['product_id', 'email'] },
);

/** Provider webhook events, naming seeded message ids (or provider ids) most of the time. */
export function providerEventRecord(messageRefs: readonly string[]) {
  const ref = mostly(fc.constantFrom(...messageRefs, ...messageRefs.map((r) => `<${r}>`)), hostileString);
  return fc.oneof(
    fc.record(
      {
        type: fc.constant('bounce'),
        message_id: ref,
        bounce_type: fc.constantFrom('hard', 'soft'),
        at: instantText,
      },
      { requiredKeys: ['type', 'message_id', 'bounce_type'] },
    ),
    fc.record(
      { type: fc.constantFrom('delivered', 'complaint'), message_id: ref, at: instantText },
      { requiredKeys: ['type', 'message_id'] },
    ),
  );
}

/** Browse events, naming seeded customers (by id or address) most of the time. */
export function browseEventRecord(customerIds: readonly string[]) {
  const shopper = fc.oneof(
    fc.record({ customer_id: mostly(fc.constantFrom(...customerIds), externalIdText) }),
    fc.record({ email: emailText }),
  );
  const what = fc.oneof(
    fc.record({ type: fc.constant('product_viewed'), product_id: id }),
    fc.record({
      type: fc.constant('category_viewed'),
      category: mostly(fc.constantFrom('Kitchen', 'Tea'), text()),
    }),
    fc.record({
      type: fc.constant('search'),
      query: mostly(fc.constantFrom('red mug', 'TEA'), hostileString),
    }),
  );
  return fc
    .tuple(shopper, what, fc.option(instantText, { nil: undefined }))
    .map(([who, event, at]) => ({ ...event, ...who, ...(at === undefined ? {} : { at }) }));
}

export const ingestRecords = {
  customers: customerRecord,
  orders: orderRecord,
  carts: cartRecord,
  products: productRecord,
  waitlist: waitlistRecord,
} as const;
export type IngestRoute = keyof typeof ingestRecords;
