// rekindle browse snippet: prints what a shop pastes so that its pages post
// what signed-in shoppers look at (POST /b/events), for a platform. Reads
// nothing but the config, calls no one, and never prints a secret: the
// snippets hold a placeholder the shop replaces with SHOPPER_TOKEN_SECRET.
import { parseArgs } from 'node:util';
import { htmlBrowseSnippet } from '../adapters/platforms/shared/browse-snippet.ts';
import { shopifyBrowseSnippet } from '../adapters/platforms/shopify/browse-snippet.ts';
import { wooCommerceBrowseSnippet } from '../adapters/platforms/woocommerce/browse-snippet.ts';
import { isSafeLink } from '../core/safe-link.ts';
import { type Command, UsageError } from './io.ts';

const snippets: Record<string, (publicBaseUrl: string) => string> = {
  shopify: shopifyBrowseSnippet,
  woocommerce: wooCommerceBrowseSnippet,
  html: htmlBrowseSnippet,
};

export const browseCommand: Command = async (argv, io) => {
  const [action, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { platform: { type: 'string' }, url: { type: 'string' } },
  });
  if (action !== 'snippet') {
    throw new UsageError(
      action === undefined
        ? 'name what to do: rekindle browse snippet --platform shopify|woocommerce|html'
        : `unknown action '${action}' (known: snippet)`,
    );
  }
  const known = Object.keys(snippets).join(', ');
  if (values.platform === undefined)
    throw new UsageError(`name the shop's platform with --platform (${known})`);
  const snippet = Object.hasOwn(snippets, values.platform) ? snippets[values.platform] : undefined;
  if (!snippet) throw new UsageError(`unknown platform '${values.platform}' (known: ${known})`);
  const base = values.url ?? io.config.PUBLIC_BASE_URL;
  if (!isSafeLink(base)) throw new UsageError(`--url must be an http(s) URL, got '${base}'`);
  if (!base.startsWith('https://')) {
    io.stderr.write(
      `warning: ${base} is not https; a shop served over https cannot load the script from it (pass --url https://your-rekindle.example)\n`,
    );
  }
  if (!io.config.SHOPPER_TOKEN_SECRET) {
    io.stderr.write('note: SHOPPER_TOKEN_SECRET is not set here; POST /b/events answers 503 until it is\n');
  }
  io.stdout.write(snippet(base));
  return 0;
};
