// Cell values (CSV text or JSON values) turned into what the API schema
// expects. Only what the schema cannot read is decided here (whole numbers in
// text, yes/no words, platform status words); everything else passes through
// so the schema's own messages explain a bad value. Never validates further.

/** A value the importer cannot hand to the schema; the row is rejected with this reason. */
export class CellError extends Error {
  override name = 'CellError';
  constructor(
    readonly field: string,
    message: string,
    readonly category: 'blank' | 'unparseable' | 'invalid',
  ) {
    super(`${field}: ${message}`);
  }
}

/**
 * A copy of `text` that does not pin the buffer it was cut from. V8 keeps a
 * sliced string's whole parent alive, so an id kept for the whole import
 * would otherwise hold on to the 64 KB read chunk it came from.
 */
export function detached(text: string): string {
  return ` ${text}`.slice(1);
}

export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Ids stay strings; a JSON number is only accepted while it is still exact. */
export function readId(value: unknown): unknown {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return value;
}

export function readText(value: unknown): unknown {
  return typeof value === 'number' ? String(value) : value;
}

const wholeNumber = /^\s*[+-]?\d+\s*$/;
const decimalNumber = /^\s*[+-]?\d+\.\d*\s*$/;

export function readInteger(value: unknown, field: string): unknown {
  if (typeof value !== 'string') return value;
  if (!wholeNumber.test(value)) {
    // '1.5' is a number, just not a whole one: invalid rather than unparseable.
    const category = decimalNumber.test(value) ? 'invalid' : 'unparseable';
    throw new CellError(field, `expected a whole number, got '${value}'`, category);
  }
  return Number(value);
}

const trueWords = new Set(['true', 'yes', 'y', '1', 't', 'subscribed', 'in_stock', 'instock', 'available']);
const falseWords = new Set([
  'false',
  'no',
  'n',
  '0',
  'f',
  'unsubscribed',
  'not_subscribed',
  'out_of_stock',
  'outofstock',
  'sold_out',
]);

export function readBoolean(value: unknown, field: string): unknown {
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') return value;
  const word = statusWord(value);
  if (trueWords.has(word)) return true;
  if (falseWords.has(word)) return false;
  throw new CellError(field, `expected yes/no or true/false, got '${value}'`, 'unparseable');
}

/** "SPRING10, VIP" -> ["SPRING10", "VIP"]; a JSON array passes through. */
export function readList(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * Platform words for an order's state. partially_refunded stays a purchase
 * (the returned lines come as negative quantities); pending and authorized
 * orders were placed and count as purchases; voided, failed and declined
 * payments mean the order never happened and read as cancelled.
 */
const orderStatuses: Record<string, string> = {
  paid: 'paid',
  partially_paid: 'paid',
  partially_refunded: 'paid',
  pending: 'paid',
  authorized: 'paid',
  completed: 'paid',
  complete: 'paid',
  processing: 'paid',
  fulfilled: 'paid',
  shipped: 'paid',
  delivered: 'paid',
  refunded: 'refunded',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  voided: 'cancelled',
  void: 'cancelled',
  failed: 'cancelled',
  declined: 'cancelled',
  expired: 'cancelled',
  test: 'test',
};

const cartStatuses: Record<string, string> = {
  open: 'open',
  active: 'open',
  abandoned: 'open',
  converted: 'converted',
  completed: 'converted',
  complete: 'converted',
  ordered: 'converted',
  recovered: 'converted',
  deleted: 'deleted',
  expired: 'deleted',
  archived: 'deleted',
};

/** Unknown words pass through lower-cased, so the schema lists the accepted ones. */
export function readStatus(value: unknown, kind: 'orders' | 'carts'): unknown {
  if (typeof value !== 'string') return value;
  const word = statusWord(value);
  return (kind === 'orders' ? orderStatuses : cartStatuses)[word] ?? word;
}

function statusWord(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}
