// POST /v1/{customers,orders,carts,products,waitlist}: one record or a list.
// A list is all-or-nothing: every row is validated before anything is written,
// and the write is one atomic batch.
import { Hono } from 'hono';
import { AppError } from '../../core/errors.ts';
import { type IngestKind, ingestSchemas } from '../../core/ingest/records.ts';
import { ingestRecords } from '../../services/ingest/ingest-records.ts';
import type { AppEnv } from '../app-env.ts';
import { requireScope } from '../auth.ts';
import { parseRecordList, readJson } from '../json-body.ts';

export const maxRowsPerCall = 1000;

export function ingestRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const kind of Object.keys(ingestSchemas) as IngestKind[]) {
    app.post(`/${kind}`, requireScope('ingest'), async (c) => {
      const { records, inBatch } = parseRecordList(await readJson(c.req.raw), ingestSchemas[kind], {
        maxRows: maxRowsPerCall,
        rowNoun: 'rows',
        label: kind,
      });
      rejectDuplicateIds(records, inBatch);
      await ingestRecords({ store: c.var.deps.store }, { kind, records, now: c.var.deps.now() });
      return c.json({ stored: records.length });
    });
  }
  return app;
}

// Two rows with one id in one call would make the outcome depend on row order.
function rejectDuplicateIds(records: readonly { id: string }[], inBatch: boolean): void {
  if (!inBatch) return;
  const firstRow = new Map<string, number>();
  const details = records.flatMap((record, row) => {
    const first = firstRow.get(record.id);
    if (first === undefined) {
      firstRow.set(record.id, row);
      return [];
    }
    return [{ row, field: 'id', message: `id '${record.id}' also appears in row ${first}` }];
  });
  if (details.length > 0) throw new AppError(400, 'invalid_input', 'duplicate ids in one call', details);
}
