// JSON text for fuzz bodies, including what JSON.stringify cannot write: raw
// number tokens (1e400, -0, 2^53+1 as digits), objects with duplicate keys,
// and nesting too deep for a recursive encoder. Pure: runs in Node and workerd.

/** A token written as-is, e.g. `1e400` or `-0`. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** An object written from its entries, so a key may appear twice. */
export class JsonEntries {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

/** A value nested `depth` times in arrays or objects, written without recursion. */
export class DeepJson {
  constructor(
    readonly depth: number,
    readonly kind: 'array' | 'object',
    readonly inner: unknown = null,
  ) {}
}

export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof DeepJson) {
    const open = value.kind === 'array' ? '[' : '{"a":';
    const close = value.kind === 'array' ? ']' : '}';
    return open.repeat(value.depth) + toJsonText(value.inner) + close.repeat(value.depth);
  }
  if (value instanceof JsonEntries) {
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`);
    return `{${parts.join(',')}}`;
  }
  // undefined inside an array is written as null, like JSON.stringify.
  return JSON.stringify(value) ?? 'null';
}

/** What a server's JSON.parse makes of `text`, or undefined when it is not JSON. */
export function parsedJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    return undefined;
  }
}
