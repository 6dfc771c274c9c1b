// The default transport when SMTP_URL is unset: each message becomes
// `<OUTBOX_DIR>/<outbox id>.eml`, a complete RFC 5322 file any mail client
// opens, so the demo and local runs need no mail server. Written to a temp
// name and renamed, so a reader never sees half a file and a second write of
// the same message replaces the first. Never throws.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailTransport, SendOutcome } from '../../core/delivery/transport.ts';
import type { MessageSigner } from './dkim.ts';

export interface EmlFolderOptions {
  dir: string;
  sign?: MessageSigner | undefined;
}

export function createEmlFolderTransport(options: EmlFolderOptions): MailTransport {
  let ready: Promise<unknown> | undefined;
  return {
    name: 'eml',
    async send(mail): Promise<SendOutcome> {
      // Outbox ids are UUIDs; refuse anything that could step outside the folder.
      if (!/^[A-Za-z0-9_-]+$/.test(mail.id)) {
        return { kind: 'permanent', reason: 'message id is not a safe file name', hardBounce: false };
      }
      const file = `${mail.id}.eml`;
      try {
        ready ??= mkdir(options.dir, { recursive: true });
        await ready;
        const raw = options.sign ? await options.sign(mail.raw) : mail.raw;
        const temp = join(options.dir, `.${file}.${process.pid}.tmp`);
        await writeFile(temp, raw, 'latin1');
        await rename(temp, join(options.dir, file));
        return { kind: 'delivered', providerMessageId: file };
      } catch (error) {
        ready = undefined;
        // A full disk or a permission problem is the folder's, not the message's:
        // the sender pauses until it clears instead of spending attempts.
        return {
          kind: 'transport_unavailable',
          reason: error instanceof Error ? error.message : String(error),
        };
      }
    },
    async close() {},
  };
}
