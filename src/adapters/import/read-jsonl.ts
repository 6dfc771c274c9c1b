// Streams a JSON Lines file as batches of rows, one read buffer at a time. It
// must never buffer the whole file. Blank lines are skipped; a line that is not
// a JSON object becomes an error row, not a failed import.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Layout } from './columns.ts';
import type { Row, RowBatch } from './rows.ts';

export async function* readJsonl(path: string, layout: Layout<string>): AsyncGenerator<RowBatch> {
  const file = createReadStream(path);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNo = 0;
  let rows: Row[] = [];
  const take = (text: string) => {
    lineNo++;
    const row = toRow(lineNo === 1 ? text.replace(/^\uFEFF/, '') : text, lineNo, layout);
    if (row) rows.push(row);
  };
  try {
    for await (const chunk of file) {
      const text = rest + decoder.write(chunk as Buffer);
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        take(text.slice(start, end));
        start = end + 1;
      }
      rest = text.slice(start);
      if (rows.length > 0) {
        yield { rows, bytes: file.bytesRead };
        rows = [];
      }
    }
    rest += decoder.end();
    if (rest !== '') take(rest);
    if (rows.length > 0) yield { rows, bytes: file.bytesRead };
  } finally {
    file.destroy();
  }
}

function toRow(text: string, line: number, layout: Layout<string>): Row | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, fields: {}, error: `invalid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, fields: {}, error: 'expected a JSON object on each line' };
  }
  const object = value as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [field, key] of layout) fields[field] = object[key];
  return object.items === undefined ? { line, fields } : { line, fields, items: object.items };
}
