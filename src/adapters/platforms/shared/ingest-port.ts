// The ingest verb as a platform adapter is handed it: the statement builder of
// src/services/ingest/ingest-records.ts (`ingestStatements`), wired by http/
// (adapters import no services). A platform's writes are the same upserts and
// redemption rule as POST /v1/{kind}, put in the adapter's own atomic batch.
import type { IngestKind } from '../../../core/ingest/records.ts';
import type { RecordsByKind } from '../../../db/repositories/ingest.ts';
import type { Statement, Store } from '../../../db/store.ts';

export type IngestStatements = <K extends IngestKind>(
  ports: { store: Store },
  input: { kind: K; records: readonly RecordsByKind[K][]; now: number },
) => Statement[];
