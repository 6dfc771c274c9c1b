// The one way a value becomes JSON text for SQL: the single parameter that
// json_each unpacks into many rows, and the JSON-valued columns (tags,
// discount codes, scopes). Its text never holds a lone-surrogate escape.
// Why: SQLite's json_extract decodes "\ud800" into the bytes ED A0 80, which
// are not UTF-8; stored as TEXT they abort the libSQL driver (a Rust panic no
// JS catch stops) on the next read. Validation refuses such text at the edge
// (text() in src/core/ingest/fields.ts); this is the backstop, so that no path
// that misses validation can store it. It must stay cheap: one substring scan
// per statement, and the rebuild runs only when the scan finds a candidate.

// JSON.stringify writes a lone surrogate as a lower-case \udXXX escape and a
// surrogate pair as the character itself, so every such escape is a lone
// surrogate, unless its backslash is itself escaped (an even run before it).
const loneSurrogateEscape = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/** JSON.stringify of the value with every lone surrogate replaced by U+FFFD (as toWellFormed does). */
export function sqlJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error('sqlJson: the value has no JSON form');
  if (!json.includes('\\ud')) return json;
  return json.replace(loneSurrogateEscape, '$1\ufffd');
}
