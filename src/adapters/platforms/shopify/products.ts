// products/create|update, variants/in_stock|out_of_stock and
// inventory_levels/update → Rekindle products and stock. Stock and price are
// a variant's, so a Rekindle product is a Shopify variant (its id is the
// variant id, as in order and cart lines; waitlist sign-ups name it too),
// titled "Product - Variant" unless the product has only its default variant.
// Payloads carry no currency: prices are in the shop's currency from the
// settings file. inventory_levels/update names an inventory item and a
// location: the items each variant is stocked by are learnt from product
// payloads (one item may stock several variants), each location's level is
// kept, and the variant's stock is their sum. Every stock write goes through
// the ingest verb, which records a restock when a product goes from out of
// stock to in stock: the back-in-stock trigger. Shapes: Shopify's webhook
// reference, products/create and inventory_levels/update samples.
import { ingestSchemas, type ProductRecord } from '../../../core/ingest/records.ts';
import { currentProducts } from '../../../db/repositories/current-records.ts';
import {
  availableElsewhere,
  type InventoryLink,
  linkInventoryItemsStatements,
  setInventoryLevelStatement,
  variantsOfInventoryItem,
} from '../../../db/repositories/shopify.ts';
import { claimVersions, newerThanStored, type Versioned } from '../shared/newer-state-wins.ts';
import { applyDelivery } from '../shared/webhook-ledger.ts';
import { platform, type TopicContext, type TopicHandler, type TopicResult } from './context.ts';
import {
  idOf,
  integerOf,
  listOf,
  objectOf,
  type Payload,
  parseWith,
  requiredId,
  requiredTime,
  textOf,
  timeOf,
} from './payload.ts';

const variantKey = { platform, resource: 'variant' };
const levelKey = { platform, resource: 'inventory_level' };

const noCurrency: TopicResult = {
  outcome: 'retry',
  note: "the shop's currency comes from the campaigns' settings file, which has not loaded",
};

/** Whether the variant can be bought: an active product, and stock, or stock not tracked, or selling past 0 allowed. */
function buyable(product: Payload, variant: Payload): boolean {
  if (product.status !== undefined && product.status !== 'active') return false;
  const quantity = integerOf(variant.inventory_quantity);
  if (variant.inventory_management !== 'shopify' || quantity === null) return true;
  return quantity > 0 || variant.inventory_policy === 'continue';
}

function productLink(ctx: TopicContext, handle: string | null, variantId: string): string | null {
  const domain = ctx.config.shopDomain;
  if (!domain || !handle) return null;
  return `https://${domain}/products/${encodeURIComponent(handle)}?variant=${variantId}`;
}

export const receiveProduct: TopicHandler = async (ctx, payload) => {
  const currency = ctx.ports.shopCurrency();
  if (!currency) return noCurrency;
  requiredId(payload, 'id');
  const productVersion = requiredTime(payload, 'updated_at', 'created_at');
  const variants = listOf(payload.variants);
  const images = listOf(payload.images);
  const mainImage = textOf(objectOf(payload.image)?.src) ?? textOf(images[0]?.src);
  const title = textOf(payload.title) ?? 'Untitled product';
  const onlyDefault = variants.length === 1;
  const versions: Versioned[] = [];
  const inputs: unknown[] = [];
  const links: InventoryLink[] = [];
  for (const variant of variants) {
    const id = idOf(variant.id);
    if (id === null) continue;
    // A product's own change (its title) does not touch its variants' updated_at.
    versions.push({ id, version: Math.max(productVersion, timeOf(variant.updated_at) ?? 0) });
    const variantTitle = textOf(variant.title);
    const image = images.find((img) => idOf(img.id) !== null && idOf(img.id) === idOf(variant.image_id));
    const tracked = variant.inventory_management === 'shopify';
    inputs.push({
      id,
      title:
        onlyDefault || !variantTitle || variantTitle === 'Default Title'
          ? title
          : `${title} - ${variantTitle}`,
      url: productLink(ctx, textOf(payload.handle), id),
      image_url: textOf(image?.src) ?? mainImage,
      category: textOf(payload.product_type),
      currency,
      price: variant.price,
      stock: tracked ? integerOf(variant.inventory_quantity) : null,
      in_stock: buyable(payload, variant),
      created_at: textOf(variant.created_at) ?? textOf(payload.created_at) ?? undefined,
    });
    const item = idOf(variant.inventory_item_id);
    if (item !== null) links.push({ inventoryItemId: item, variantId: id });
  }
  const newer = await newerThanStored(ctx.ports.store, variantKey, versions);
  if (newer.size === 0) return { outcome: versions.length === 0 ? 'skipped' : 'stale' };
  const records = inputs
    .map((input) => parseWith(ingestSchemas.products, input, 'product variant'))
    .filter((record) => newer.has(record.id));
  return {
    outcome: await applyDelivery(ctx.ports.store, ctx.delivery, [
      ...claimVersions(
        ctx.ports.store,
        variantKey,
        versions.filter((v) => newer.has(v.id)),
      ),
      ...ctx.ports.ingest({ kind: 'products', records, now: ctx.delivery.now }),
      ...linkInventoryItemsStatements(
        ctx.ports.store,
        links.filter((link) => newer.has(link.variantId)),
      ),
    ]),
  };
};

/** variants/in_stock and variants/out_of_stock: the topic says which; the stored product gives the rest. */
export function receiveVariantStock(inStock: boolean): TopicHandler {
  return async (ctx, payload) => {
    const id = requiredId(payload, 'id');
    const versioned = [{ id, version: requiredTime(payload, 'updated_at', 'created_at') }];
    if (!(await newerThanStored(ctx.ports.store, variantKey, versioned)).has(id)) return { outcome: 'stale' };
    const stored = (await currentProducts(ctx.ports.store, [id])).get(id);
    const currency = stored?.currency ?? ctx.ports.shopCurrency();
    if (!currency) return noCurrency;
    const quantity = variantQuantity(payload);
    const record: ProductRecord = stored
      ? { ...stored, stockQuantity: quantity ?? stored.stockQuantity, inStock }
      : parseWith(
          ingestSchemas.products,
          {
            id,
            title: textOf(payload.title) ?? 'Untitled product',
            currency,
            price: payload.price,
            stock: quantity,
            in_stock: inStock,
          },
          'variant',
        );
    const item = idOf(payload.inventory_item_id);
    return {
      outcome: await applyDelivery(ctx.ports.store, ctx.delivery, [
        ...claimVersions(ctx.ports.store, variantKey, versioned),
        ...ctx.ports.ingest({ kind: 'products', records: [record], now: ctx.delivery.now }),
        ...(item === null
          ? []
          : linkInventoryItemsStatements(ctx.ports.store, [{ inventoryItemId: item, variantId: id }])),
      ]),
    };
  };
}

function variantQuantity(variant: Payload): number | null {
  return variant.inventory_management === 'shopify' ? integerOf(variant.inventory_quantity) : null;
}

export const receiveInventoryLevel: TopicHandler = async (ctx, payload) => {
  const { store } = ctx.ports;
  const item = requiredId(payload, 'inventory_item_id');
  const location = requiredId(payload, 'location_id');
  const available = integerOf(payload.available);
  if (available === null) return { outcome: 'skipped', note: 'no available quantity (stock not tracked)' };
  const versioned = [{ id: `${item}@${location}`, version: requiredTime(payload, 'updated_at') }];
  if (!(await newerThanStored(store, levelKey, versioned)).has(versioned[0]?.id as string)) {
    return { outcome: 'stale' };
  }
  const [variantIds, elsewhere] = await Promise.all([
    variantsOfInventoryItem(store, item),
    availableElsewhere(store, item, location),
  ]);
  const stock = available + elsewhere;
  const stored = await currentProducts(store, variantIds);
  // A variant stored as in stock at 0 or below sells past 0 (inventory_policy continue): it stays buyable.
  const records = [...stored.values()]
    .filter((product) => product.stockQuantity !== null)
    .map((product) => ({
      ...product,
      stockQuantity: stock,
      inStock: stock > 0 || (product.inStock && (product.stockQuantity ?? 0) <= 0),
    }));
  return {
    outcome: await applyDelivery(store, ctx.delivery, [
      ...claimVersions(store, levelKey, versioned),
      setInventoryLevelStatement(store, { inventoryItemId: item, locationId: location, available }),
      ...(records.length > 0 ? ctx.ports.ingest({ kind: 'products', records, now: ctx.delivery.now }) : []),
    ]),
    ...(records.length === 0 ? { note: 'no tracked variant is known for this inventory item yet' } : {}),
  };
};
