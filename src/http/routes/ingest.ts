// POST /v1/{customers,orders,carts,products,waitlist}: one record or a list.
// A list is all-or-nothing: every row is validated before anything is written,
// and the write is one atomic batch.
import { Hono } from 'hono';
import { AppError, describeIssues } from '../../core/errors.ts';
import { type IngestKind, ingestSchemas } from '../../core/ingest/records.ts';
import { storeRecords } from '../../db/repositories/ingest.ts';
import type { AppEnv } from '../app-env.ts';
import { requireScope } from '../auth.ts';

export const maxRowsPerCall = 1000;

export function ingestRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const kind of Object.keys(ingestSchemas) as IngestKind[]) {
    app.post(`/${kind}`, requireScope('ingest'), async (c) => {
      const body = await readJson(c.req.raw);
      const inBatch = Array.isArray(body);
      const rows: unknown[] = inBatch ? body : [body];
      if (rows.length === 0) throw new AppError(400, 'invalid_input', 'the list is empty');
      if (rows.length > maxRowsPerCall) {
        throw new AppError(
          413,
          'too_many_rows',
          `at most ${maxRowsPerCall} rows per call, got ${rows.length}`,
        );
      }
      const parsed = ingestSchemas[kind].array().safeParse(rows);
      if (!parsed.success) {
        const details = describeIssues(parsed.error.issues, true).map((d) =>
          inBatch ? d : { ...d, row: undefined },
        );
        throw new AppError(400, 'invalid_input', `invalid ${kind}: ${details.length} problem(s)`, details);
      }
      const records = parsed.data as { id: string }[];
      rejectDuplicateIds(records, inBatch);
      await storeRecords(c.var.deps.store, kind, parsed.data, c.var.deps.now());
      return c.json({ stored: records.length });
    });
  }
  return app;
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError(400, 'invalid_json', 'the body is not valid JSON');
  }
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
