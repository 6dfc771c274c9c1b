// What a template's Liquid may name: the EmailView (contract.ts) as a tree of
// fields, and which of its parts each trigger fills. The one definition of
// "what each trigger provides": `rekindle validate` checks templates and
// subject lines against it, the sample view fills parts by it, and tests hold
// the sample view and the delivery's view builder to it. The shape is typed
// from EmailView, so a field added to the contract does not compile until it
// is added here too. Pure data.
import type { TriggerType } from '../campaigns/trigger-block.ts';
import type { EmailView } from './contract.ts';

/** A field of the view: a plain value (text, number, ...), an object with fields, or a list. */
export type ViewShape =
  | 'value'
  | { readonly fields: Readonly<Record<string, ViewShape>> }
  | { readonly list: ViewShape };

export type ViewFields = Readonly<Record<string, ViewShape>>;

// The shape a value of type T must have; nullable fields have their value's shape.
type ShapeOf<T> = [NonNullable<T>] extends [readonly (infer Item)[]]
  ? { readonly list: ShapeOf<Item> }
  : [NonNullable<T>] extends [object]
    ? { readonly fields: { readonly [K in keyof NonNullable<T>]-?: ShapeOf<NonNullable<T>[K]> } }
    : 'value';

const money = { fields: { display: 'value', minor: 'value', currency: 'value' } } as const;
const productFields = {
  id: 'value',
  title: 'value',
  url: 'value',
  image_url: 'value',
  price: money,
} as const;
const product = { fields: productFields } as const;

export const emailViewShape = {
  fields: {
    customer: { fields: { id: 'value', first_name: 'value', last_name: 'value', email: 'value' } },
    shop: { fields: { name: 'value', logo_url: 'value', color: 'value', postal_address: 'value' } },
    campaign: { fields: { id: 'value', name: 'value', step: 'value' } },
    offer: {
      fields: { code: 'value', kind: 'value', headline: 'value', min_subtotal: money, expires_on: 'value' },
    },
    cart: {
      fields: {
        items: { list: { fields: { ...productFields, quantity: 'value', line_total: money } } },
        total: money,
        recovery_url: 'value',
      },
    },
    product,
    back_in_stock: { fields: { asked: 'value' } },
    price_drop: { fields: { was: money, now: money, percent: 'value' } },
    arrivals: { list: product },
    replenishment: { fields: { bought_on: 'value' } },
    recommended: { list: product },
    links: { fields: { unsubscribe: 'value', shop: 'value' } },
  },
} as const satisfies ShapeOf<EmailView>;

export type ViewPart = keyof EmailView;

// In every email; offer is null in a step without one, which templates test with {% if offer %}.
const everyEmail = ['customer', 'shop', 'campaign', 'offer', 'recommended', 'links'] as const;

/**
 * The parts of the view each trigger's emails get. A part not listed is
 * always null for that trigger, so a template of that trigger that names it
 * shows nothing: `rekindle validate` treats it as unknown there.
 */
export const triggerViewParts: Readonly<Record<TriggerType, readonly ViewPart[]>> = {
  dormant: everyEmail,
  abandoned_cart: [...everyEmail, 'cart'],
  back_in_stock: [...everyEmail, 'product', 'back_in_stock'],
  browse_abandonment: [...everyEmail, 'product'],
  price_drop: [...everyEmail, 'product', 'price_drop'],
  audience: everyEmail,
  new_arrivals: [...everyEmail, 'arrivals'],
  replenishment: [...everyEmail, 'product', 'replenishment'],
};

/** Whether emails of `trigger` get `part` (filled, or null only where the part itself allows it). */
export function triggerProvides(trigger: TriggerType, part: ViewPart): boolean {
  return triggerViewParts[trigger].includes(part);
}

/** The view's top-level names a template of `trigger` may use, with their shapes. */
export function viewFieldsFor(trigger: TriggerType): ViewFields {
  return Object.fromEntries(triggerViewParts[trigger].map((part) => [part, emailViewShape.fields[part]]));
}

/** The trigger types whose emails do get `part`, for messages. */
export function triggersProviding(part: ViewPart): TriggerType[] {
  return (Object.keys(triggerViewParts) as TriggerType[]).filter((trigger) => triggerProvides(trigger, part));
}

/**
 * Where `view` differs from what this file says a `trigger` email gets: a
 * part another trigger provides that is not null, a field missing or one too
 * many, a list or object where the shape says otherwise. Empty when they
 * agree; tests hold the sample view and the delivery's view builder to it.
 */
export function viewMismatches(view: EmailView, trigger: TriggerType): string[] {
  const found: string[] = [];
  const parts = view as unknown as Record<string, unknown>;
  for (const key of Object.keys(parts)) {
    if (!Object.hasOwn(emailViewShape.fields, key)) found.push(`${key} is not in the view schema`);
  }
  for (const [part, shape] of Object.entries(emailViewShape.fields)) {
    const value = parts[part];
    if (triggerProvides(trigger, part as ViewPart)) compare(value, shape, part, found);
    else if (value !== null) found.push(`${part} is set, but ${trigger} emails do not get it`);
  }
  return found;
}

function compare(value: unknown, shape: ViewShape, path: string, found: string[]): void {
  if (value === undefined) {
    found.push(`${path} is missing`);
    return;
  }
  if (value === null) return; // every field of the contract may be null where its type allows
  if (shape === 'value') {
    if (typeof value === 'object') found.push(`${path} is an object or list; the schema says a value`);
  } else if ('list' in shape) {
    if (!Array.isArray(value)) found.push(`${path} is not a list`);
    else for (const [index, item] of value.entries()) compare(item, shape.list, `${path}[${index}]`, found);
  } else if (typeof value !== 'object' || Array.isArray(value)) {
    found.push(`${path} is not an object`);
  } else {
    const fields = value as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (!Object.hasOwn(shape.fields, key)) found.push(`${path}.${key} is not in the view schema`);
    }
    for (const [key, inner] of Object.entries(shape.fields))
      compare(fields[key], inner, `${path}.${key}`, found);
  }
}
