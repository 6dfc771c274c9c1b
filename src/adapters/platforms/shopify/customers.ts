// customers/create|update|delete and customers_email_marketing_consent/update
// → Rekindle customers and their consent. Consent is yes only for
// email_marketing_consent.state "subscribed" (pending double opt-in,
// not_subscribed, unsubscribed, redacted, invalid are no; an older payload's
// accepts_marketing stands in when the object is absent). Consent has its own
// version (consent_updated_at): a customer update carrying an older consent
// than the one stored keeps the stored one, so a late retry never
// re-subscribes someone who unsubscribed. A deleted customer keeps their row
// (counts) and loses consent. An erased customer (customers/redact, shop/redact,
// DELETE /v1/customers/:id) is never filled in again by a customer or consent
// update, as the WooCommerce connector does. Shapes: Shopify's webhook reference,
// customers/create and customers_email_marketing_consent/update samples.
import { type CustomerRecord, ingestSchemas } from '../../../core/ingest/records.ts';
import { currentCustomers, erasedCustomerIds } from '../../../db/repositories/current-records.ts';
import { readVersions } from '../../../db/repositories/platform-webhooks.ts';
import {
  claimVersions,
  compareVersions,
  newerThanStored,
  raiseVersions,
} from '../shared/newer-state-wins.ts';
import { applyDelivery } from '../shared/webhook-ledger.ts';
import { platform, type TopicHandler } from './context.ts';
import {
  objectOf,
  type Payload,
  parseWith,
  requiredId,
  requiredTime,
  tagsOf,
  textOf,
  timeOf,
} from './payload.ts';

const customerKey = { platform, resource: 'customer' };
const consentKey = { platform, resource: 'customer_consent' };

/** Whether the consent object (or the legacy flag) says subscribed; null when the payload says nothing. */
export function consentOf(consent: Payload | null, legacy: unknown): boolean | null {
  if (consent && typeof consent.state === 'string') return consent.state === 'subscribed';
  return typeof legacy === 'boolean' ? legacy : null;
}

const erased = {
  outcome: 'skipped',
  note: 'the customer was erased; a webhook never fills them in again',
} as const;

export const receiveCustomer: TopicHandler = async (ctx, payload) => {
  const { store } = ctx.ports;
  const id = requiredId(payload, 'id');
  if ((await erasedCustomerIds(store, [id])).size > 0) return erased;
  const version = requiredTime(payload, 'updated_at', 'created_at');
  const versioned = [{ id, version }];
  if (!(await newerThanStored(store, customerKey, versioned)).has(id)) return { outcome: 'stale' };
  const consent = objectOf(payload.email_marketing_consent);
  const consentVersion = timeOf(consent?.consent_updated_at) ?? version;
  const [storedConsent, stored] = await Promise.all([
    readVersions(store, consentKey, [id]).then((versions) => versions.get(id)),
    currentCustomers(store, [id]).then((found) => found.get(id)),
  ]);
  const said = consentOf(consent, payload.accepts_marketing);
  const consentIsNewer = compareVersions(storedConsent, { version: consentVersion }) === 'newer';
  const marketingConsent = said !== null && consentIsNewer ? said : (stored?.marketingConsent ?? false);
  const address = objectOf(payload.default_address);
  const record = parseWith(
    ingestSchemas.customers,
    {
      id,
      email: textOf(payload.email),
      first_name: textOf(payload.first_name),
      last_name: textOf(payload.last_name),
      country: textOf(address?.country_code) ?? undefined,
      tags: tagsOf(payload.tags),
      marketing_consent: marketingConsent,
      created_at: textOf(payload.created_at) ?? undefined,
    },
    'customer',
  );
  const kept: CustomerRecord = {
    ...record,
    locale: stored?.locale ?? null,
    timezone: stored?.timezone ?? null,
  };
  return {
    outcome: await applyDelivery(store, ctx.delivery, [
      ...claimVersions(store, customerKey, versioned),
      ...(said !== null && consentIsNewer
        ? raiseVersions(store, consentKey, [{ id, version: consentVersion }])
        : []),
      ...ctx.ports.ingest({ kind: 'customers', records: [kept], now: ctx.delivery.now }),
    ]),
  };
};

export const receiveCustomerDelete: TopicHandler = async (ctx, payload) => {
  const { store } = ctx.ports;
  const id = requiredId(payload, 'id');
  const stored = (await currentCustomers(store, [id])).get(id);
  const gone = [{ id, version: Number.MAX_SAFE_INTEGER }];
  return {
    outcome: await applyDelivery(store, ctx.delivery, [
      ...raiseVersions(store, customerKey, gone),
      ...raiseVersions(store, consentKey, gone),
      ...(stored
        ? ctx.ports.ingest({
            kind: 'customers',
            records: [{ ...stored, marketingConsent: false }],
            now: ctx.delivery.now,
          })
        : []),
    ]),
    ...(stored ? {} : { note: 'no such customer stored' }),
  };
};

export const receiveConsent: TopicHandler = async (ctx, payload) => {
  const { store } = ctx.ports;
  const id = requiredId(payload, 'customer_id');
  if ((await erasedCustomerIds(store, [id])).size > 0) return erased;
  const consent = objectOf(payload.email_marketing_consent);
  const said = consentOf(consent, undefined);
  if (said === null) {
    return { outcome: 'skipped', note: 'the payload has no email_marketing_consent.state' };
  }
  const version = timeOf(consent?.consent_updated_at) ?? ctx.delivery.now;
  const versioned = [{ id, version }];
  if (!(await newerThanStored(store, consentKey, versioned)).has(id)) return { outcome: 'stale' };
  const stored = (await currentCustomers(store, [id])).get(id);
  const record: CustomerRecord = stored
    ? { ...stored, marketingConsent: said }
    : parseWith(
        ingestSchemas.customers,
        { id, email: textOf(payload.email_address), marketing_consent: said },
        'consent update',
      );
  return {
    outcome: await applyDelivery(store, ctx.delivery, [
      ...claimVersions(store, consentKey, versioned),
      ...ctx.ports.ingest({ kind: 'customers', records: [record], now: ctx.delivery.now }),
    ]),
  };
};
