// What each WooCommerce topic changes in Rekindle. A created, updated or
// restored resource is translated (translate-*.ts) and upserted through the
// ingest verb; a deleted one (its body is only the id; orders and products go
// to the bin) keeps its stored record with one change: an order becomes
// cancelled (no longer a purchase), a product out of stock (no back-in-stock
// mail for it), a customer without marketing consent (a deleted account is
// never mailed; erasure is DELETE /v1/customers/:id). An erased customer is
// never filled in again by a webhook. Statements are built only once the
// delivery is known to be newer than what is stored.

import { insertCustomerStubs } from '../../../db/repositories/customers.ts';
import { storedCustomer, storedOrder, storedProduct } from '../../../db/repositories/stored-records.ts';
import type { Statement, Store } from '../../../db/store.ts';
import type { IngestStatements } from '../shared/ingest-port.ts';
import { deletedPayload, wooCustomer, wooOrder, wooProduct } from './payloads.ts';
import { wooCustomerRecord, wooProductRecord } from './translate-catalog.ts';
import { orderCustomer, wooOrderRecord } from './translate-order.ts';

export interface TopicPorts {
  store: Store;
  ingest: IngestStatements;
  consentMetaKey?: string | undefined;
  /** The shop's currency, from the loaded shop settings; undefined while none are loaded. */
  shopCurrency: () => string | undefined;
}

export type WooResource = 'order' | 'customer' | 'product';

export interface PlannedChange {
  resource: WooResource;
  resourceId: string;
  /** The resource's date_modified_gmt, epoch ms; null for a deletion. */
  versionAt: number | null;
  build: () => Promise<Statement[]>;
}

/** A topic that cannot be applied right now, with the reason (answered 503). */
export interface Unavailable {
  unavailable: string;
}

type TopicHandler = (payload: unknown, ports: TopicPorts, now: number) => PlannedChange | Unavailable;

const orderChanged: TopicHandler = (payload, ports, now) => {
  const order = wooOrder.parse(payload);
  return {
    resource: 'order',
    resourceId: order.id,
    versionAt: order.date_modified_gmt.millis,
    build: async () => {
      const { customerId, stub } = await orderCustomer(ports.store, order);
      const record = wooOrderRecord(order, customerId);
      const stubs = stub ? insertCustomerStubs(ports.store, [stub], now) : [];
      return [...stubs, ...ports.ingest({ store: ports.store }, { kind: 'orders', records: [record], now })];
    },
  };
};

const orderDeleted: TopicHandler = (payload, ports, now) => {
  const { id } = deletedPayload.parse(payload);
  return deletion('order', id, async () => {
    const stored = await storedOrder(ports.store, id);
    if (!stored) return [];
    const records = [{ ...stored, status: 'cancelled' as const }];
    return ports.ingest({ store: ports.store }, { kind: 'orders', records, now });
  });
};

const customerChanged: TopicHandler = (payload, ports, now) => {
  const customer = wooCustomer.parse(payload);
  return {
    resource: 'customer',
    resourceId: customer.id,
    versionAt: customer.date_modified_gmt.millis,
    build: async () => {
      const stored = await storedCustomer(ports.store, customer.id);
      if (stored?.erasedAt != null) return [];
      const record = wooCustomerRecord(customer, stored, ports.consentMetaKey);
      return ports.ingest({ store: ports.store }, { kind: 'customers', records: [record], now });
    },
  };
};

const customerDeleted: TopicHandler = (payload, ports, now) => {
  const { id } = deletedPayload.parse(payload);
  return deletion('customer', id, async () => {
    const stored = await storedCustomer(ports.store, id);
    if (!stored || stored.erasedAt != null) return [];
    const { erasedAt: _erasedAt, ...record } = stored;
    const records = [{ ...record, marketingConsent: false }];
    return ports.ingest({ store: ports.store }, { kind: 'customers', records, now });
  });
};

const productChanged: TopicHandler = (payload, ports, now) => {
  const product = wooProduct.parse(payload);
  const currency = ports.shopCurrency();
  if (!currency) {
    return {
      unavailable:
        'the shop settings are not loaded: campaigns/settings.yaml gives the currency WooCommerce products are priced in',
    };
  }
  return {
    resource: 'product',
    resourceId: product.id,
    versionAt: product.date_modified_gmt.millis,
    build: async () => {
      const parentId = product.parent_id && product.parent_id !== '0' ? product.parent_id : null;
      const [stored, parent] = await Promise.all([
        storedProduct(ports.store, product.id),
        parentId ? storedProduct(ports.store, parentId) : null,
      ]);
      const record = wooProductRecord(product, { currency, stored, parent });
      return ports.ingest({ store: ports.store }, { kind: 'products', records: [record], now });
    },
  };
};

const productDeleted: TopicHandler = (payload, ports, now) => {
  const { id } = deletedPayload.parse(payload);
  return deletion('product', id, async () => {
    const stored = await storedProduct(ports.store, id);
    if (!stored) return [];
    const records = [{ ...stored, inStock: false }];
    return ports.ingest({ store: ports.store }, { kind: 'products', records, now });
  });
};

function deletion(
  resource: WooResource,
  resourceId: string,
  build: () => Promise<Statement[]>,
): PlannedChange {
  return { resource, resourceId, versionAt: null, build };
}

/** The topics Rekindle applies; any other (coupon.*, action.*) is answered 200 and ignored. */
export const topicHandlers: Readonly<Record<string, TopicHandler>> = {
  'order.created': orderChanged,
  'order.updated': orderChanged,
  'order.restored': orderChanged,
  'order.deleted': orderDeleted,
  'customer.created': customerChanged,
  'customer.updated': customerChanged,
  'customer.deleted': customerDeleted,
  'product.created': productChanged,
  'product.updated': productChanged,
  'product.restored': productChanged,
  'product.deleted': productDeleted,
};
