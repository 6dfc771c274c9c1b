// rekindle shopify webhooks: prints the webhook subscriptions Rekindle needs,
// as the app configuration file's section and as GraphQL Admin mutations.
// Reads nothing but the config; calls no one. rekindle shopify sync: the
// backfill, in shopify-sync.ts.
import { parseArgs } from 'node:util';
import {
  appConfigToml,
  complianceTopics,
  ordinaryTopics,
  subscriptionMutation,
  webhookUri,
} from '../adapters/platforms/shopify/subscriptions.ts';
import { defaultShopifyApiVersion } from '../config/env.ts';
import { isSafeLink } from '../core/safe-link.ts';
import { type Command, printJson, UsageError } from './io.ts';

export const shopifyCommand: Command = async (argv, io) => {
  const [action, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      url: { type: 'string' },
      'api-version': { type: 'string' },
      only: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (action === 'sync') {
    if (values.url !== undefined || values['api-version'] !== undefined)
      throw new UsageError(
        '--url and --api-version are for shopify webhooks (sync uses SHOPIFY_API_VERSION)',
      );
    return (await import('./shopify-sync.ts')).shopifySync({ only: values.only, json: values.json }, io);
  }
  if (values.only !== undefined) throw new UsageError('--only is for shopify sync');
  if (action !== 'webhooks') {
    throw new UsageError(
      action === undefined
        ? 'name what to do: rekindle shopify webhooks | sync'
        : `unknown action '${action}' (known: webhooks, sync)`,
    );
  }
  const base = values.url ?? io.config.PUBLIC_BASE_URL;
  if (!isSafeLink(base) || !base.startsWith('https://')) {
    io.stderr.write(
      `warning: ${base} is not an https URL; Shopify delivers webhooks only to https (pass --url https://your-rekindle.example)\n`,
    );
  }
  const apiVersion = values['api-version'] ?? defaultShopifyApiVersion;
  if (!/^\d{4}-(01|04|07|10)$/.test(apiVersion))
    throw new UsageError(
      `--api-version must be a Shopify version like ${defaultShopifyApiVersion}, got '${apiVersion}'`,
    );
  const uri = webhookUri(base);
  const topics = ordinaryTopics();
  if (values.json) {
    printJson(io, {
      uri,
      api_version: apiVersion,
      topics,
      compliance_topics: complianceTopics,
      toml: appConfigToml(uri, apiVersion),
      mutations: topics.map((topic) => subscriptionMutation(topic, uri)),
    });
    return 0;
  }
  io.stdout.write(`# shopify.app.toml: the app's webhook subscriptions (Shopify CLI 3.63 or later)\n\n`);
  io.stdout.write(appConfigToml(uri, apiVersion));
  io.stdout.write(
    `\n# Or, per shop, through the GraphQL Admin API (${apiVersion}); the compliance topics\n# (${complianceTopics.join(', ')}) can only be set in the file or the app's dashboard:\n\n`,
  );
  for (const topic of topics) io.stdout.write(`${subscriptionMutation(topic, uri)}\n`);
  return 0;
};
