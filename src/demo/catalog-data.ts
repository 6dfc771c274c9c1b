// Word lists for the demo catalogue: a homeware and pantry shop in twelve
// categories. Data only; the choices made from it live in products.ts.

export interface CategoryData {
  name: string;
  slug: string;
  /** Price range in GBP minor units. */
  priceMin: number;
  priceMax: number;
  adjectives: readonly string[];
  nouns: readonly string[];
  variants: readonly string[];
}

export const categories: readonly CategoryData[] = [
  {
    name: 'Coffee',
    slug: 'coffee',
    priceMin: 650,
    priceMax: 2400,
    adjectives: ['Colombian', 'Ethiopian', 'Sumatran', 'House', 'Morning', 'Dark Roast', 'Decaf', 'Espresso'],
    nouns: ['Whole Beans', 'Ground Coffee', 'Coffee Pods', 'Cold Brew Bags'],
    variants: ['250g', '500g', '1kg'],
  },
  {
    name: 'Tea',
    slug: 'tea',
    priceMin: 450,
    priceMax: 1800,
    adjectives: ['Earl Grey', 'Assam', 'Darjeeling', 'Sencha', 'Rooibos', 'Chamomile', 'Peppermint', 'Chai'],
    nouns: ['Loose Leaf Tea', 'Tea Bags', 'Tea Sampler'],
    variants: ['50g', '100g', '250g'],
  },
  {
    name: 'Kitchen',
    slug: 'kitchen',
    priceMin: 900,
    priceMax: 8900,
    adjectives: ['Enamel', 'Cast Iron', 'Stoneware', 'Copper', 'Beechwood', 'Stainless'],
    nouns: ['Saucepan', 'Casserole Dish', 'Mixing Bowl', 'Cafetiere', 'Utensil Set', 'Chopping Board'],
    variants: ['Small', 'Large', 'Sage', 'Cream'],
  },
  {
    name: 'Candles',
    slug: 'candles',
    priceMin: 1200,
    priceMax: 4500,
    adjectives: ['Fig & Cedar', 'Sea Salt', 'Amber', 'Wild Rose', 'Pine Needle', 'Vanilla Smoke', 'Neroli'],
    nouns: ['Soy Candle', 'Three-Wick Candle', 'Travel Candle', 'Reed Diffuser'],
    variants: ['Small', 'Large'],
  },
  {
    name: 'Bath & Body',
    slug: 'bath-body',
    priceMin: 600,
    priceMax: 3200,
    adjectives: ['Oat Milk', 'Lavender', 'Eucalyptus', 'Rosemary', 'Citrus', 'Unscented'],
    nouns: ['Hand Wash', 'Body Lotion', 'Bath Salts', 'Soap Bar', 'Shower Oil'],
    variants: ['100ml', '300ml', 'Refill'],
  },
  {
    name: 'Stationery',
    slug: 'stationery',
    priceMin: 350,
    priceMax: 2800,
    adjectives: ['Linen', 'Dotted', 'Recycled', 'Leather-Bound', 'Pocket', 'Weekly'],
    nouns: ['Notebook', 'Planner', 'Card Set', 'Fountain Pen', 'Desk Pad'],
    variants: ['A5', 'A6', 'Navy', 'Ochre'],
  },
  {
    name: 'Home Decor',
    slug: 'home-decor',
    priceMin: 1500,
    priceMax: 12000,
    adjectives: ['Ribbed Glass', 'Terracotta', 'Rattan', 'Brass', 'Oak', 'Ceramic'],
    nouns: ['Vase', 'Mirror', 'Table Lamp', 'Photo Frame', 'Storage Basket'],
    variants: ['Small', 'Medium', 'Large'],
  },
  {
    name: 'Textiles',
    slug: 'textiles',
    priceMin: 1800,
    priceMax: 14000,
    adjectives: ['Waffle', 'Merino', 'Washed Linen', 'Organic Cotton', 'Chunky Knit'],
    nouns: ['Throw', 'Cushion Cover', 'Tea Towel Set', 'Bath Towel', 'Duvet Cover'],
    variants: ['Oat', 'Charcoal', 'Rust', 'Sky'],
  },
  {
    name: 'Plants',
    slug: 'plants',
    priceMin: 800,
    priceMax: 6500,
    adjectives: ['Potted', 'Hanging', 'Mini', 'Variegated'],
    nouns: ['Monstera', 'Snake Plant', 'Pothos', 'Fiddle Leaf Fig', 'Peace Lily', 'Olive Tree'],
    variants: ['12cm Pot', '17cm Pot', '21cm Pot'],
  },
  {
    name: 'Jewellery',
    slug: 'jewellery',
    priceMin: 2200,
    priceMax: 18000,
    adjectives: ['Gold Vermeil', 'Sterling Silver', 'Pearl', 'Hammered', 'Engraved'],
    nouns: ['Hoop Earrings', 'Pendant Necklace', 'Signet Ring', 'Chain Bracelet', 'Stud Earrings'],
    variants: ['Gold', 'Silver'],
  },
  {
    name: 'Bags',
    slug: 'bags',
    priceMin: 1500,
    priceMax: 16000,
    adjectives: ['Canvas', 'Waxed Cotton', 'Leather', 'Recycled Nylon', 'Woven'],
    nouns: ['Tote', 'Backpack', 'Crossbody Bag', 'Weekender', 'Laptop Sleeve'],
    variants: ['Black', 'Olive', 'Tan', 'Navy'],
  },
  {
    name: 'Outdoor',
    slug: 'outdoor',
    priceMin: 1200,
    priceMax: 9500,
    adjectives: ['Insulated', 'Foldable', 'Enamel', 'Weatherproof', 'Bamboo'],
    nouns: ['Flask', 'Picnic Blanket', 'Camping Mug', 'Lantern', 'Garden Kneeler'],
    variants: ['Forest', 'Stone', 'Clay'],
  },
];
