// rekindle import customers|orders|carts|products FILE: loads a shop export
// (CSV or JSON Lines) through the same validation as the API. Bad rows are
// reported with their line and skipped; --strict stores nothing unless every
// row is good. Never reads the whole file into memory.
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  defaultBatchSize,
  type ImportKind,
  type ImportOptions,
  type ImportSummary,
  importFile,
  importKinds,
} from '../adapters/import/import-file.ts';
import { formatSummary } from '../adapters/import/summary.ts';
import { AppError } from '../core/errors.ts';
import { type CliIO, type Command, printJson, UsageError } from './io.ts';

const help = `usage: rekindle import customers|orders|carts|products FILE [options]

Reads CSV (.csv) or JSON Lines (.jsonl, .ndjson) and stores it like the HTTP API would.

options:
  --format csv|jsonl     when the file name does not say
  --map FIELD=COLUMN     read FIELD from COLUMN (repeatable), e.g.
                         --map customer_id="Customer ID" --map placed_at="Created at"
  --timezone ZONE        read times without a UTC offset, and bare dates, as local
                         time in ZONE (e.g. Europe/London); without it they are rejected
  --date-order mdy|dmy   read dates like 12/1/2010 8:26 month first (mdy) or day
                         first (dmy); without it they are rejected (never guessed)
  --currency CODE        the currency of rows that give none (e.g. a file with no
                         currency column, like the UCI Online Retail export: GBP)
  --strict               stop at the first bad row and store nothing
  --batch-size N         records per atomic write (default ${defaultBatchSize})
  --json                 print the summary as JSON

Columns are the API field names; header case, spaces, dashes and camelCase do not
matter (CustomerID reads as customer_id). Also understood (Shopify and UCI Online
Retail export headers among them):
  orders     id: Name, Order ID, InvoiceNo   placed_at: Created at, Processed at, InvoiceDate
             status: Financial Status   total: Total Price   discount_codes: Discount Code
             cancelled_at: Cancelled at (a non-blank value marks the order cancelled)
             email, first_name, last_name: stored as the customer if not known yet
  line items product_id: Lineitem sku, SKU, StockCode   title: Lineitem name, Description
             quantity: Lineitem quantity   unit_price: Lineitem price, Price, UnitPrice
  carts      id: Cart ID, Token   value: Total   recovery_url: Abandoned Checkout URL
             last_activity_at: Updated at
  customers  id: Customer ID   marketing_consent: Accepts Email Marketing   country: Country Code
  products   id: Product ID, Variant SKU   price: Variant Price   stock: Variant Inventory Qty
             image_url: Image Src   category: Product Type, Type
JSON Lines keys are the API field names; items may be inline ("items": [...]).

Orders and carts: consecutive rows with the same id are one record, one line item
per row. A negative quantity is a returned line. Without a total (no column, or
blank in every row of an order) the total is the lines' value; lines adding up
below 0 are then a refund. A line price finer than the currency (0.001 GBP) is
stored rounded to the minor unit, half to even, and counted in the summary; the
total is added up from the exact prices and rounded once. Order status words:
  paid, partially_paid, partially_refunded, pending, authorized, fulfilled -> paid
  refunded -> refunded    cancelled, canceled, voided, failed, declined, expired -> cancelled
  test -> test            (blank -> paid, or refunded for lines below 0)
Times: ISO 8601 with offset, or "2024-01-02 10:00:00 +0100".
Exit code: 0 done (even with rejected rows), 1 --strict found a bad row, 2 usage error.
`;

export const importCommand: Command = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string' },
      map: { type: 'string', multiple: true },
      timezone: { type: 'string' },
      'date-order': { type: 'string' },
      currency: { type: 'string' },
      strict: { type: 'boolean' },
      'batch-size': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const [kind, file, ...extra] = positionals;
  if (!kind || !file || extra.length > 0) {
    throw new UsageError('usage: rekindle import customers|orders|carts|products FILE [--help]');
  }
  if (!(importKinds as readonly string[]).includes(kind)) {
    throw new UsageError(`cannot import '${kind}'; expected one of: ${importKinds.join(', ')}`);
  }
  const format = values.format;
  if (format !== undefined && format !== 'csv' && format !== 'jsonl') {
    throw new UsageError(`--format must be csv or jsonl, got '${format}'`);
  }
  const options: ImportOptions = {
    format,
    map: parseMap(values.map ?? []),
    strict: values.strict ?? false,
    timezone: values.timezone,
    dateOrder: values['date-order']?.toLowerCase() as ImportOptions['dateOrder'],
    currency: values.currency,
    batchSize: values['batch-size'] === undefined ? undefined : Number(values['batch-size']),
  };
  // Checked before the store is opened, so a typo does not create a database.
  await requireFile(file);
  const store = await io.openStore();
  let summary: ImportSummary;
  const progress = io.interactive ? progressLine(io) : undefined;
  try {
    summary = await importFile(
      store,
      kind as ImportKind,
      file,
      { ...options, onProgress: progress?.update },
      io.now(),
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_import') throw new UsageError(error.message);
    throw error;
  } finally {
    progress?.clear();
    await store.close();
  }
  if (values.json) printJson(io, summary);
  else io.stdout.write(formatSummary(summary, file));
  return summary.aborted ? 1 : 0;
};

function parseMap(entries: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0 || at === entry.length - 1) {
      throw new UsageError(`--map expects FIELD=COLUMN, got '${entry}'`);
    }
    map[entry.slice(0, at).trim()] = entry.slice(at + 1);
  }
  return map;
}

async function requireFile(file: string): Promise<void> {
  try {
    if (!(await stat(file)).isFile()) throw new UsageError(`${file} is not a file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`no such file: ${file}`);
  }
}

/** One stderr line redrawn at most four times a second; only on a terminal. */
function progressLine(io: CliIO) {
  const started = Date.now();
  let drawn = 0;
  return {
    update(p: { rows: number; bytes: number; totalBytes: number }) {
      const now = Date.now();
      if (now - drawn < 250) return;
      drawn = now;
      const seconds = Math.max((now - started) / 1000, 0.001);
      const percent = p.totalBytes > 0 ? Math.floor((100 * p.bytes) / p.totalBytes) : 100;
      const rate = Math.round(p.rows / seconds).toLocaleString('en');
      io.stderr.write(`\r${p.rows.toLocaleString('en')} rows  ${rate} rows/s  ${percent}%\x1b[K`);
    },
    clear() {
      if (drawn > 0) io.stderr.write('\r\x1b[K');
    },
  };
}
