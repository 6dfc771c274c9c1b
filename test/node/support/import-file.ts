// The file importer as `rekindle import` wires it: its records become the
// ingest verb's statements, in process and in the parse worker alike.
import {
  type ImportKind,
  type ImportOptions,
  type ImportSummary,
  importFile as importWith,
} from '../../../src/adapters/import/import-file.ts';
import type { Store } from '../../../src/db/store.ts';
import { ingestStatementsPort } from '../../../src/services/ingest/ingest-records.ts';

export function importFile(
  store: Store,
  kind: ImportKind,
  path: string,
  options: ImportOptions,
  now: number,
): Promise<ImportSummary> {
  return importWith(store, ingestStatementsPort, kind, path, options, now);
}
