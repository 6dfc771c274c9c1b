// What a shop platform's webhook adapter is handed. Adapters never import
// services: the route that mounts an adapter hands it the ingest verb's
// statement builder (services/ingest/ingest-records.ts, the one the HTTP API
// and the importer use) and the privacy verbs.
import type { IngestKind } from '../../../core/ingest/records.ts';
import type { RecordsByKind } from '../../../db/repositories/ingest.ts';
import type { Statement, Store } from '../../../db/store.ts';

export interface PlatformPorts {
  store: Store;
  /** Epoch ms. */
  now: () => number;
  /** The ingest verb's statements for records of one kind, to be written in the delivery's batch. */
  ingest: <K extends IngestKind>(input: {
    kind: K;
    records: readonly RecordsByKind[K][];
    now: number;
  }) => Statement[];
  /** Erases a customer's personal data and suppresses the address; null for a customer never seen. */
  eraseCustomer: (input: { customerId: string; now: number }) => Promise<{ erasedAt: number } | null>;
  /** The shop's currency from the settings file, for payloads that carry none; undefined until campaigns load. */
  shopCurrency: () => string | undefined;
  /** Where one-line notes go (never with personal data). */
  log: (line: string) => void;
}

/** One delivery as the route hands it over: the raw body, which the signature is over. */
export interface IncomingWebhook {
  headers: Headers;
  body: Uint8Array;
}

/** What a webhook adapter answers; the route turns it into the HTTP response. */
export interface WebhookAnswer {
  status: 200 | 400 | 401 | 413 | 503;
  body: Record<string, unknown>;
}

/** A platform's webhook adapter, set up with its ports and its connector's settings. */
export type WebhookReceiver = (request: IncomingWebhook) => Promise<WebhookAnswer>;

/** A delivery refused, in the API's error shape (http/on-error.ts errorBody). */
export function refusal(
  status: 400 | 401,
  code: string,
  message: string,
  details: readonly unknown[] = [],
): WebhookAnswer {
  return { status, body: { error: { code, message, details } } };
}
