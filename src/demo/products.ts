// The demo catalogue: products with believable titles, prices, links and stock,
// and a picker that makes a few products popular, as in a real shop. Prices are
// kept in GBP; priceIn gives the shop's fixed EUR/USD price list.
import type { ProductRecord } from '../core/ingest/records.ts';
import { type CategoryData, categories } from './catalog-data.ts';
import { Rng } from './random.ts';

export const shopBaseUrl = 'https://shop.example';
export const outOfStockShare = 0.08;

/** Fixed price-list rates: a shop publishes prices per currency, it does not convert live. */
const rates: Record<string, number> = { GBP: 1, EUR: 1.17, USD: 1.27 };

export function productId(index: number): string {
  return `prd_${String(index + 1).padStart(4, '0')}`;
}

export function generateProducts(seed: number, count: number): ProductRecord[] {
  const rng = new Rng(seed);
  const perCategory = categories.map((category) => rng.shuffle(titlesOf(category)));
  const products: ProductRecord[] = [];
  for (let i = 0; i < count; i++) {
    const categoryIndex = i % categories.length;
    const category = categories[categoryIndex]!;
    const titles = perCategory[categoryIndex]!;
    const round = Math.floor(i / categories.length);
    const base = titles[round % titles.length]!;
    // Past the word lists' combinations, numbered editions keep titles unique.
    const title = round < titles.length ? base : `${base} No. ${Math.floor(round / titles.length) + 1}`;
    const slug = `${slugify(title)}-${i + 1}`;
    products.push({
      id: productId(i),
      title,
      url: `${shopBaseUrl}/products/${slug}`,
      imageUrl: `${shopBaseUrl}/images/${category.slug}/${slug}.jpg`,
      category: category.name,
      currency: 'GBP',
      priceMinor: price(rng, category),
      stockQuantity: rng.int(3, 250),
      inStock: true,
    });
  }
  // An exact share, so even a small demo has some products people wait for.
  const outOfStock = Math.round(count * outOfStockShare);
  for (const product of rng.shuffle(products).slice(0, outOfStock)) {
    product.stockQuantity = 0;
    product.inStock = false;
  }
  return products;
}

/** The product's price in `currency`, from the fixed price list, in minor units. */
export function priceIn(product: ProductRecord, currency: string): number {
  const rate = rates[currency];
  if (rate === undefined) throw new Error(`the demo shop has no ${currency} price list`);
  if (rate === 1) return product.priceMinor;
  return Math.max(99, Math.round((product.priceMinor * rate) / 100) * 100 - 1);
}

/** Draws products with a long-tail popularity, optionally favouring one category. */
export class ProductPicker {
  private readonly cumulative: number[] = [];
  private readonly byCategory = new Map<string, { items: ProductRecord[]; cumulative: number[] }>();

  constructor(
    readonly products: readonly ProductRecord[],
    seed: number,
  ) {
    if (products.length === 0) throw new Error('the demo shop needs at least one product');
    const rng = new Rng(seed);
    const ranks = rng.shuffle(products.map((_, i) => i));
    const weights = new Array<number>(products.length);
    ranks.forEach((productIndex, rank) => {
      weights[productIndex] = 1 / (rank + 1) ** 0.8;
    });
    let total = 0;
    products.forEach((product, i) => {
      total += weights[i]!;
      this.cumulative.push(total);
      const key = product.category ?? '';
      const group = this.byCategory.get(key) ?? { items: [], cumulative: [] };
      group.items.push(product);
      group.cumulative.push((group.cumulative.at(-1) ?? 0) + weights[i]!);
      this.byCategory.set(key, group);
    });
  }

  pick(rng: Rng, favouriteCategory?: string): ProductRecord {
    const group = favouriteCategory === undefined ? undefined : this.byCategory.get(favouriteCategory);
    if (group && rng.chance(0.6)) return group.items[search(group.cumulative, rng.next())]!;
    return this.products[search(this.cumulative, rng.next())]!;
  }
}

function search(cumulative: readonly number[], unit: number): number {
  const target = unit * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

function titlesOf(category: CategoryData): string[] {
  const titles: string[] = [];
  for (const adjective of category.adjectives)
    for (const noun of category.nouns)
      for (const variant of category.variants) titles.push(`${adjective} ${noun}, ${variant}`);
  return titles;
}

function price(rng: Rng, category: CategoryData): number {
  const pounds = Math.round(rng.between(category.priceMin, category.priceMax) / 100);
  const ending = rng.weighted([
    [-1, 5],
    [-5, 2],
    [0, 2],
    [50, 1],
  ] as const);
  return Math.max(99, pounds * 100 + ending);
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
