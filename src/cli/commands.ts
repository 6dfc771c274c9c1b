// Every `rekindle` command: its one-line summary, its help text and how to
// load it. The help lives here, apart from the code that acts, so that
// `rekindle <command> --help` prints it without even importing the command:
// asking for help can never open a database, listen on a port or send mail.
// The list is in the order a shop meets the commands; `rekindle --help`
// prints it in that order. Steps are numbered from 1, as in the reports.
import { defaultBatchSize } from '../adapters/import/import-file.ts';
import { defaultShopifyApiVersion } from '../config/env.ts';
import { triggerTypes } from '../core/campaigns/trigger-block.ts';
import { demoDefaults } from '../demo/shop.ts';
import type { Command } from './io.ts';

export interface CommandEntry {
  name: string;
  /** One line for `rekindle --help`. */
  summary: string;
  /** The whole of `rekindle <name> --help`: usage, what it does, each option. */
  help: string;
  load(): Promise<Command>;
}

const environment = `environment: DATABASE_URL (default file:./data/rekindle.db), CAMPAIGNS_DIR, EMAILS_DIR;
see the README for the rest.`;

export const commands: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'check the campaign files and templates; errors name file, line and field',
    help: `usage: rekindle validate [--dir DIR] [--emails DIR] [--json] [--reference]

Loads every campaign file and template the way a sweep would, renders each
template with a sample, and lists every problem with its file and line. Writes
nothing. Exit code: 0 valid, 1 problems found, 2 usage error.

options:
  --dir DIR        the campaigns folder (default CAMPAIGNS_DIR, ./campaigns)
  --emails DIR     the templates folder (default EMAILS_DIR, ./emails)
  --json           print the result as JSON
  --reference      print every field a campaign file may hold, and stop
  -h, --help       show this help
`,
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  {
    name: 'preview',
    summary: "render one campaign step's email for a sample or a real customer",
    help: `usage: rekindle preview CAMPAIGN [--step N] [--customer ID | --sample [--currency CODE]] [--out FILE] [--text] [--json]

Renders the email a campaign step would send, without sending or recording
anything: for a sample customer, or for a real one from the database (their
cart, their waitlist; the coupon is a sample and is never issued).

options:
  --step N         the campaign step, 1 for the first (default 1)
  --customer ID    render for this customer from the database
  --sample         render for the made-up sample customer (the default)
  --currency CODE  the sample customer's currency (default the shop's): the offer's
                   figures for it (a campaign amount per currency), prices in it;
                   a real customer's email is always in their own currency
  --out FILE       write the HTML to FILE instead of standard output
  --text           print the plain-text part instead of the HTML
  --json           print subject, HTML and text as JSON
  -h, --help       show this help
`,
    load: async () => (await import('./preview.ts')).previewCommand,
  },
  {
    name: 'send-test',
    summary: 'send one campaign step to a test address through the configured mailer',
    help: `usage: rekindle send-test CAMPAIGN --to ADDRESS [--step N] [--json]

Renders a campaign step for the sample customer and sends it to ADDRESS the way
a real message goes (headers, tracked links, DKIM), so you can see it in a real
mailbox. Records nothing in the outbox or the reports.

options:
  --to ADDRESS     where to send it (required)
  --step N         the campaign step, 1 for the first (default 1)
  --json           print what was sent as JSON
  -h, --help       show this help
`,
    load: async () => (await import('./send-test.ts')).sendTestCommand,
  },
  {
    name: 'import',
    summary: 'load customers, orders, carts or products from a CSV or JSON Lines export',
    help: `usage: rekindle import customers|orders|carts|products FILE [options]

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
  -h, --help             show this help

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
`,
    load: async () => (await import('./import.ts')).importCommand,
  },
  {
    name: 'sweep',
    summary: 'run the campaigns once: find who qualifies and schedule their messages',
    help: `usage: rekindle sweep [--dry-run] [--now ISO] [--campaign ID] [--only TRIGGER] [--explain CUSTOMER_ID]
                      [--recipients FILE] [--json]

Runs every enabled campaign once over the database and prints, per campaign,
how many customers each rule excluded and how many were held out, scheduled or
deferred. Safe to run twice: a message is never scheduled twice for one reason.

options:
  --dry-run              show what would be scheduled; write nothing
  --now ISO              sweep as if it were this instant (default: now)
  --campaign ID          only this campaign
  --only TRIGGER         only campaigns with this trigger (repeatable): ${triggerTypes.join(', ')}
  --explain CUSTOMER_ID  say, campaign by campaign, why this customer would or would not
                         get a message (implies --dry-run)
  --recipients FILE      with --dry-run: write whom it would mail, what and when, as CSV
                         (campaign, step, customer_id, email, outcome, due_at, trigger)
  --json                 print the result as JSON
  -h, --help             show this help

${environment}
`,
    load: async () => (await import('./sweep.ts')).sweepCommand,
  },
  {
    name: 'send',
    summary: 'deliver the messages that are due, once, and print the counts',
    help: `usage: rekindle send [--limit N] [--json]

Drains the outbox once: claims the messages that are due, checks each is still
wanted (consent, suppression, cart still open), renders and sends it through
SMTP_URL, or writes .eml files to OUTBOX_DIR when SMTP_URL is unset.

options:
  --limit N        send at most N messages
  --json           print the counts as JSON
  -h, --help       show this help

${environment}
`,
    load: async () => (await import('./send.ts')).sendCommand,
  },
  {
    name: 'serve',
    summary: 'run the HTTP API, the dashboard, the scheduled sweeps and delivery',
    help: `usage: rekindle serve

The long-running process: the HTTP API and dashboard on HOST:PORT (default
127.0.0.1:3000), the sweeps on their schedules and the sender. Refuses to start
when the campaign files are invalid; SIGHUP reloads them, keeping the last
valid set when the new one is broken. Takes no options.

options:
  -h, --help       show this help

${environment}
`,
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'webhooks',
    summary: "deliver the events owed to the shop's endpoints, or list them",
    help: `usage: rekindle webhooks deliver [--json]
       rekindle webhooks list [--state pending|delivered|failed] [--limit N] [--json]

The settings file's webhooks: endpoints receive signed JSON events
(message.sent, coupon.redeemed, customer.unsubscribed, customer.complained),
written with the facts they report. rekindle serve and the Worker's cron
deliver them on their own; deliver runs one pass now: it takes up the
settings' endpoints (an endpoint receives facts from when it is first seen),
says which wait for their EVENTS_SIGNING_SECRET* variable, and POSTs what is
due. A failed try is retried with backoff (30 s doubling to 6 h) for 3 days.
list shows the newest events, one row per endpoint, and where each stands.

options:
  --state S        list: only pending, delivered or failed events
  --limit N        list: at most N rows (default 50)
  --json           print JSON
  -h, --help       show this help

${environment}
`,
    load: async () => (await import('./webhooks.ts')).webhooksCommand,
  },
  {
    name: 'report',
    summary: 'what each campaign brought back: sends, opens, clicks, revenue and lift',
    help: `usage: rekindle report [--campaign ID] [--from DAY] [--to DAY] [--since ISO] [--daily] [--json]

Per campaign and step: messages scheduled, sent, opened, clicked, unsubscribed,
bounced; rates per message sent; redemptions; revenue per currency (net of
coupon discounts), the discounts, revenue per recipient and the incremental
revenue per recipient over the held-out customers with its 95% interval; the
lift of mailed customers over held-out ones with its 95% interval; clicks per
link. Money is never added across currencies. Days are in the shop's time
zone (settings timezone).

options:
  --campaign ID    only this campaign
  --from DAY       only messages sent from this day on (YYYY-MM-DD, shop's time zone)
  --to DAY         only messages sent up to this day, included; what followed
                   them (opens, orders) counts even after it
  --since ISO      only messages sent from this instant on (instead of --from)
  --daily          add a row per day
  --json           print the report as JSON (from, to and timeZone say the period)
  -h, --help       show this help
`,
    load: async () => (await import('./report.ts')).reportCommand,
  },
  {
    name: 'predict',
    summary: 'fit the customer-base models: who is probably still a customer, what they will buy and spend',
    help: `usage: rekindle predict [--now ISO] [--json] [--customer ID] [--holdout-days N] [--currency CODE]

Fits two models on the shop's paid orders up to now, one purchase per
customer per distinct UTC purchase day (a day's totals add up): BG/NBD for
repeat purchases and dropout (Fader, Hardie & Lee 2005; r and alpha per week)
and Gamma-Gamma for spend per purchase (from the mean of each customer's
repeat purchases; gamma in the currency). Prints the fitted parameters and
each model's guard-rail verdict: a shop with fewer than 200 customers, or
fewer than 50 who bought again, or a fit that does not converge or runs to
the edge, is refused and its model is not used. Writes nothing.
Money is never added across currencies: one currency is fitted at a time.

Per customer (--customer): P(alive); the expected purchases in the next 90
days; the next order date, the day by which the model gives even odds that
they have ordered again (none when they are more likely gone than not, or
not within two years); the expected value of the next 52 weeks (expected
purchases times the expected spend per purchase).

Exit code: 0 done, 1 the purchase model is refused (the reason on stderr;
with only the spend model refused, values are left out and the code is 0),
2 usage error.

options:
  --now ISO          fit as if it were this instant: orders after it do not exist (default: now)
  --customer ID      also print this customer's predictions
  --holdout-days N   calibration check: fit up to N days before --now, then set the predicted
                     repeat purchases of the next N days against the actual ones, in all and
                     by the repeat purchases before (0, 1, ..., 7+), as the paper's tables do;
                     --customer's predictions are then as of that earlier end
  --currency CODE    the currency to fit (default: the one most paid orders are in; the
                     others are named)
  --json             print everything as JSON (money in the currency's minor units)
  -h, --help         show this help

${environment}
`,
    load: async () => (await import('./predict.ts')).predictCommand,
  },
  {
    name: 'coupons',
    summary: "export a campaign's coupon codes as CSV for the shop's checkout",
    help: `usage: rekindle coupons export --campaign ID [--out FILE]

Writes every code a campaign issued, with its terms, expiry and uses, as CSV,
for a shop platform that must know each code before a shopper types it.

options:
  --campaign ID    the campaign (required)
  --out FILE       write to FILE instead of standard output
  -h, --help       show this help
`,
    load: async () => (await import('./coupons.ts')).couponsCommand,
  },
  {
    name: 'keys',
    summary: 'create, list and revoke API keys',
    help: `usage: rekindle keys create --scopes SCOPES [--name NAME] [--json] [--sql FILE]
       rekindle keys list [--json]
       rekindle keys revoke KEY_ID

create prints a new key once (it is stored hashed and never shown again);
list shows every key without its secret; revoke stops a key at once.
For the Worker's D1, which this command cannot reach: create --sql FILE writes
the key's row (its hash, never the key) as SQL to FILE and opens no database;
then \`npx wrangler d1 execute DB --local --file FILE\` (or without --local for
the deployed D1) stores it.

options:
  --scopes SCOPES  create: comma-separated scopes, e.g. ingest,coupons
  --name NAME      create: a label for the key (default "default")
  --json           create, list: print JSON
  --sql FILE       create: write the key's row as SQL to FILE instead of storing it
  -h, --help       show this help
`,
    load: async () => (await import('./keys.ts')).keysCommand,
  },
  {
    name: 'shopify',
    summary: 'print the Shopify webhook subscriptions, or backfill from Shopify',
    help: `usage: rekindle shopify webhooks [--url URL] [--api-version VERSION] [--json]
       rekindle shopify sync [--only RESOURCES] [--json]

webhooks prints the webhook subscriptions the Shopify connector handles, pointing at
URL/webhooks/shopify: as the [webhooks] section of the app's shopify.app.toml
(ordinary and compliance topics), and as one GraphQL Admin mutation per
ordinary topic for a shop-specific subscription. Calls nothing; paste the
output where it belongs.

sync backfills customers, products (their variants, with stock), orders
(line items and discount codes, judged by the one redemption rule) and
abandoned checkouts from the shop through the Admin GraphQL API
(SHOPIFY_SHOP_DOMAIN, SHOPIFY_ADMIN_TOKEN with read_customers, read_orders,
read_products, and read_all_orders for orders older than 60 days;
SHOPIFY_API_VERSION), page by page, waiting out Shopify's
throttle, and stores them as the webhooks do: a record already stored as new
is left alone, so a second sync writes only what changed. Prices are in the
settings file's currency. After each page its cursor is saved: a sync that
stops exits 1, and the next one goes on after the last whole page. Progress
goes to stderr when it is a terminal.

options:
  --url URL              webhooks: Rekindle's public https base (default PUBLIC_BASE_URL)
  --api-version VERSION  webhooks: the Admin API version to name (default ${defaultShopifyApiVersion})
  --only RESOURCES       sync: comma-separated customers, products, orders,
                         abandoned_checkouts (default all, in that order)
  --json                 webhooks: topics, TOML and mutations; sync: the summary
  -h, --help             show this help
`,
    load: async () => (await import('./shopify.ts')).shopifyCommand,
  },
  {
    name: 'woocommerce',
    summary: 'backfill customers, products and orders from the WooCommerce REST API',
    help: `usage: rekindle woocommerce sync [--full] [--max-pages N] [--json]

WooCommerce never delivers a webhook again, so a delivery lost while Rekindle
was down is gone; sync heals the gap. It reads customers, products (and the
variations of variable products) and orders from WOO_URL's REST API (wc/v3),
100 a page, and applies each row as its webhook would be applied: a row older
than what a webhook stored is not written, one at the stored
date_modified_gmt is unchanged, guest orders go to their billing email, and
coupons on paid orders are redeemed once. Resumable: the page reached is saved
per resource, so a stopped run goes on where it stopped; a completed run's
start is the next run's modified_after for products and orders (customers
have no such filter and are read whole each time). A 429 is waited out for
its Retry-After, a 5xx retried. Progress goes to stderr on a terminal.
Exit code: 0 done (or paused by --max-pages), 1 stopped by the shop.

options:
  --full           read everything, ignoring the last run's time; a stopped
                   run starts over
  --max-pages N    stop after N pages this run (saved: the next run goes on)
  --json           print the summary as JSON
  -h, --help       show this help

environment: WOO_URL, WOO_KEY, WOO_SECRET (a REST key with read access),
WOO_CONSENT_META_KEY, DATABASE_URL, CAMPAIGNS_DIR (the settings' currency
prices products).
`,
    load: async () => (await import('./woocommerce.ts')).woocommerceCommand,
  },
  {
    name: 'browse',
    summary: "print what a shop pastes so its pages send shoppers' product, category and search views",
    help: `usage: rekindle browse snippet --platform shopify|woocommerce|html [--url URL]

Prints the code a shop adds so that its pages post what signed-in shoppers
look at to URL/b/events, authenticated by a shopper token the shop's own
server makes with SHOPPER_TOKEN_SECRET (no API key reaches a browser):

  shopify      a theme.liquid part that signs the shopper in (Liquid's
               hmac_sha256) and a custom pixel (Settings > Customer events)
               that sends product_viewed (the variant), collection_viewed and
               search_submitted
  woocommerce  a must-use plugin that prints the script tag on product,
               category and search pages (hash_hmac in PHP)
  html         the script tag, its attributes and the token recipe, for a
               shop that renders its own pages

Calls nothing and never prints the secret: the snippets hold a placeholder to
replace with its value.

options:
  --platform NAME  shopify, woocommerce or html (required)
  --url URL        Rekindle's public base (default PUBLIC_BASE_URL)
  -h, --help       show this help
`,
    load: async () => (await import('./browse.ts')).browseCommand,
  },
  {
    name: 'migrate',
    summary: 'apply pending database migrations',
    help: `usage: rekindle migrate

Applies the migrations the database has not had yet, to DATABASE_URL. Every
other command does this itself before it reads; run it alone before a deploy.
Takes no options.

options:
  -h, --help       show this help

${environment}
`,
    load: async () => (await import('./migrate.ts')).migrateCommand,
  },
  {
    name: 'demo',
    summary: 'the whole job on a made-up shop: load, sweep, send to .eml, report',
    help: `usage: rekindle demo [--customers N] [--seed TEXT] [--now ISO] [--reset] [--json]

Loads a believable, reproducible shop (products, customers, two years of
orders, carts, waitlists) as it stood three weeks before now, sweeps it, sends
what comes due into .eml files, simulates how customers respond through the
same paths the API uses, and prints the report.

options:
  --customers N    how many customers the shop has (default ${demoDefaults.customers})
  --seed TEXT      the random seed; the same seed gives the same shop (default ${demoDefaults.seed})
  --now ISO        the instant the demo ends at (default: now)
  --reset          start over: deletes DATABASE_URL's file and the .eml files in OUTBOX_DIR,
                   nothing else (without it, a rerun says what it kept from the last one)
  --json           print the results as JSON
  -h, --help       show this help
`,
    load: async () => (await import('./demo.ts')).demoCommand,
  },
];

/** True when the arguments ask for help: --help or -h before any `--`. */
export function asksForHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** `rekindle --help`: every command with its summary, in the fixed order. */
export function commandList(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: rekindle <command> [options]

commands:
${lines.join('\n')}

rekindle <command> --help describes a command and its options; it runs nothing.
rekindle --version prints the version.
`;
}
