// What each WooCommerce topic changes in Rekindle. A created, updated or
// restored resource is translated (translate-*.ts) and upserted through the
// ingest verb; a deleted one (its body is only the id; orders and products go
// to the bin) keeps its stored record with one change: an order becomes
// cancelled (no longer a purchase), a product out of stock (no back-in-stock
// mail for it), a customer without marketing consent (a deleted account is
// never mailed; erasure is DELETE /v1/customers/:id). An erased customer is
// never filled in again by a webhook. Statements are built only once the
// delivery is known to be newer than what is stored.

import {
  currentCustomers,
  currentOrders,
  currentProducts,
  erasedCustomerIds,
} from '../../../db/repositories/current-records.ts';
import { insertCustomerStubs } from '../../../db/repositories/customers.ts';
import type { Statement } from '../../../db/store.ts';
import type { PlatformPorts } from '../shared/ports.ts';
import type { WooCommerceConnector } from './config.ts';
import { deletedPayload, wooCustomer, wooOrder, wooProduct } from './payloads.ts';
import { wooCustomerRecord, wooProductRecord } from './translate-catalog.ts';
import { orderCustomer, wooOrderRecord } from './translate-order.ts';

export interface TopicContext {
  ports: PlatformPorts;
  config: Pick<WooCommerceConnector, 'consentMetaKey'>;
  /** When the delivery arrived, epoch ms. */
  now: number;
}

export type WooResource = 'order' | 'customer' | 'product';

export interface PlannedChange {
  resource: WooResource;
  resourceId: string;
  /** The resource's date_modified_gmt, epoch ms; null for a deletion (apply-change.ts). */
  version: number | null;
  build: () => Promise<Statement[]>;
}

/** A topic that cannot be applied right now, with the reason (answered 503). */
export interface Unavailable {
  unavailable: string;
}

type TopicHandler = (payload: unknown, ctx: TopicContext) => PlannedChange | Unavailable;

const orderChanged: TopicHandler = (payload, { ports, now }) => {
  const order = wooOrder.parse(payload);
  return {
    resource: 'order',
    resourceId: order.id,
    version: order.date_modified_gmt.millis,
    build: async () => {
      const { customerId, stub } = await orderCustomer(ports.store, order);
      const record = wooOrderRecord(order, customerId);
      const stubs = stub ? insertCustomerStubs(ports.store, [stub], now) : [];
      return [...stubs, ...ports.ingest({ kind: 'orders', records: [record], now })];
    },
  };
};

const orderDeleted: TopicHandler = (payload, { ports, now }) => {
  const { id } = deletedPayload.parse(payload);
  return deletion('order', id, async () => {
    const [stored] = await currentOrders(ports.store, [id]);
    if (!stored) return [];
    const records = [{ ...stored, status: 'cancelled' as const }];
    return ports.ingest({ kind: 'orders', records, now });
  });
};

const customerChanged: TopicHandler = (payload, { ports, config, now }) => {
  const customer = wooCustomer.parse(payload);
  return {
    resource: 'customer',
    resourceId: customer.id,
    version: customer.date_modified_gmt.millis,
    build: async () => {
      if ((await erasedCustomerIds(ports.store, [customer.id])).size > 0) return [];
      const stored = (await currentCustomers(ports.store, [customer.id])).get(customer.id) ?? null;
      const record = wooCustomerRecord(customer, stored, config.consentMetaKey);
      return ports.ingest({ kind: 'customers', records: [record], now });
    },
  };
};

const customerDeleted: TopicHandler = (payload, { ports, now }) => {
  const { id } = deletedPayload.parse(payload);
  return deletion('customer', id, async () => {
    const stored = (await currentCustomers(ports.store, [id])).get(id);
    if (!stored || (await erasedCustomerIds(ports.store, [id])).size > 0) return [];
    const records = [{ ...stored, marketingConsent: false }];
    return ports.ingest({ kind: 'customers', records, now });
  });
};

const productChanged: TopicHandler = (payload, { ports, now }) => {
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
    version: product.date_modified_gmt.millis,
    build: async () => {
      const parentId = product.parent_id && product.parent_id !== '0' ? product.parent_id : null;
      const found = await currentProducts(ports.store, parentId ? [product.id, parentId] : [product.id]);
      const stored = found.get(product.id) ?? null;
      const parent = parentId ? (found.get(parentId) ?? null) : null;
      const record = wooProductRecord(product, { currency, stored, parent });
      return ports.ingest({ kind: 'products', records: [record], now });
    },
  };
};

const productDeleted: TopicHandler = (payload, { ports, now }) => {
  const { id } = deletedPayload.parse(payload);
  return deletion('product', id, async () => {
    const stored = (await currentProducts(ports.store, [id])).get(id);
    if (!stored) return [];
    const records = [{ ...stored, inStock: false }];
    return ports.ingest({ kind: 'products', records, now });
  });
};

function deletion(
  resource: WooResource,
  resourceId: string,
  build: () => Promise<Statement[]>,
): PlannedChange {
  return { resource, resourceId, version: null, build };
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
