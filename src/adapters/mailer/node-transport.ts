// Picks the Node home's transport from config: SMTP when SMTP_URL is set, the
// .eml folder otherwise, DKIM-signed when a key is configured. A broken DKIM
// setting fails here, at startup, rather than message by message later.
import { createPrivateKey } from 'node:crypto';
import { ConfigError, type NodeConfig } from '../../config/env.ts';
import { createRateLimiter, type RateLimiter } from '../../core/delivery/send-rate-cap.ts';
import type { MailTransport } from '../../core/delivery/transport.ts';
import { createDkimSigner, type MessageSigner } from './dkim.ts';
import { createEmlFolderTransport } from './eml-folder.ts';
import { createSmtpTransport } from './smtp.ts';

export type TransportConfig = Pick<
  NodeConfig,
  'SMTP_URL' | 'OUTBOX_DIR' | 'SMTP_POOL_SIZE' | 'DKIM_PRIVATE_KEY' | 'DKIM_SELECTOR' | 'DKIM_DOMAIN'
>;

export function createNodeTransport(config: TransportConfig): MailTransport {
  const sign = dkimFromConfig(config);
  if (config.SMTP_URL)
    return createSmtpTransport({ url: config.SMTP_URL, poolSize: config.SMTP_POOL_SIZE, sign });
  return createEmlFolderTransport({ dir: config.OUTBOX_DIR, sign });
}

/** One limiter per transport, kept for the life of the process. */
export function createSendLimiter(config: Pick<NodeConfig, 'SEND_RATE_PER_SECOND'>): RateLimiter | undefined {
  return config.SEND_RATE_PER_SECOND > 0
    ? createRateLimiter({ perWindow: config.SEND_RATE_PER_SECOND })
    : undefined;
}

export function dkimFromConfig(config: TransportConfig): MessageSigner | undefined {
  const set = [config.DKIM_PRIVATE_KEY, config.DKIM_SELECTOR, config.DKIM_DOMAIN].filter(Boolean).length;
  if (set === 0) return undefined;
  if (set !== 3) {
    throw new ConfigError('DKIM_PRIVATE_KEY, DKIM_SELECTOR and DKIM_DOMAIN must be set together');
  }
  const privateKey = config.DKIM_PRIVATE_KEY!.replaceAll('\\n', '\n');
  try {
    createPrivateKey(privateKey);
  } catch {
    throw new ConfigError('DKIM_PRIVATE_KEY is not a PEM private key');
  }
  return createDkimSigner({
    domainName: config.DKIM_DOMAIN!,
    keySelector: config.DKIM_SELECTOR!,
    privateKey,
  });
}
