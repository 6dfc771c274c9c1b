// Streams a CSV file as batches of rows, one read buffer at a time, so memory
// stays flat whatever the file size. The first record is the header; it is
// handed to `makeLayout`, which decides which column feeds which field. It
// must never buffer the whole file.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Layout } from './columns.ts';
import { CsvScanner, type ScannedRecord } from './csv-scanner.ts';
import type { Row, RowBatch } from './rows.ts';

export async function* readCsv(
  path: string,
  makeLayout: (header: string[]) => Layout<number>,
): AsyncGenerator<RowBatch> {
  const file = createReadStream(path);
  const decoder = new StringDecoder('utf8');
  const scanner = new CsvScanner();
  let layout: Layout<number> | undefined;
  const toRows = (records: readonly ScannedRecord[]): Row[] => {
    const rows: Row[] = [];
    for (const record of records) {
      if (layout === undefined && record.error === undefined) layout = makeLayout(record.fields);
      else if (record.error !== undefined) rows.push({ line: record.line, fields: {}, error: record.error });
      else rows.push({ line: record.line, fields: shape(record.fields, layout!) });
    }
    return rows;
  };
  try {
    for await (const chunk of file) {
      const rows = toRows(scanner.push(decoder.write(chunk as Buffer)));
      if (rows.length > 0) yield { rows, bytes: file.bytesRead };
    }
    const rows = toRows([...scanner.push(decoder.end()), ...scanner.end()]);
    if (rows.length > 0) yield { rows, bytes: file.bytesRead };
  } finally {
    file.destroy();
  }
}

function shape(cells: readonly string[], layout: Layout<number>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [field, index] of layout) fields[field] = cells[index];
  return fields;
}
