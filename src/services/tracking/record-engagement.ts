// The use case behind the open pixel and the click redirect: a verified token
// names a message; this finds it, decides what the fetch was (a person's open
// or a privacy proxy's, which link) and hands the event to the recorder, which
// keeps each message within its caps. A click whose token carries its link,
// signed (core/tracking/tokens.ts), is answered without reading the message:
// the signature says the email held that link, and the recorder's statement
// stores nothing for a message that does not exist. The demo's customers open
// and click through here too. Never logs: the facts carry personal data.
import { safeLink } from '../../core/safe-link.ts';
import { proxyOpenReason } from '../../core/tracking/proxy-opens.ts';
import { findEngagedMessage, type RequestFacts } from '../../db/repositories/tracking.ts';
import type { Store } from '../../db/store.ts';
import type { EngagementRecorder } from './engagement-recorder.ts';

export interface RecordEngagementPorts {
  store: Store;
  /** Writes at once, or queues (see engagement-recorder.ts). */
  recorder: EngagementRecorder;
}

export type EngagementInput = (
  | { kind: 'open'; messageId: string }
  | {
      kind: 'click';
      messageId: string;
      linkIndex: number;
      /** The link from a verified token that signed it in; without it the stored message is read. */
      signedTarget?: string | undefined;
    }
) & {
  facts: RequestFacts;
  /** False for a fetch that must not count (a link checker's HEAD): found and answered, never stored. */
  count: boolean;
};

export type EngagementOutcome =
  /** No such message, or for a click no safe link at that index: nothing stored. */
  | { found: false }
  | { found: true; kind: 'open'; isProxy: boolean }
  /** Where the click redirects: always a link the stored message held, and a safe one. */
  | { found: true; kind: 'click'; target: string };

export async function recordEngagement(
  ports: RecordEngagementPorts,
  input: EngagementInput,
): Promise<EngagementOutcome> {
  if (input.kind === 'click' && input.signedTarget !== undefined) {
    return click(ports, input, input.signedTarget);
  }
  const message = await findEngagedMessage(ports.store, input.messageId);
  if (!message) return { found: false };
  const { facts } = input;
  if (input.kind === 'open') {
    const isProxy = proxyOpenReason({ ...facts, sentAt: message.sentAt }) !== null;
    if (input.count) await ports.recorder.record({ kind: 'open', messageId: message.id, isProxy, facts });
    return { found: true, kind: 'open', isProxy };
  }
  return click(ports, input, message.links[input.linkIndex]);
}

async function click(
  ports: RecordEngagementPorts,
  input: EngagementInput & { kind: 'click' },
  link: string | undefined,
): Promise<EngagementOutcome> {
  // Links were checked when the email was built; a row from an older version,
  // or written by hand, is checked again: only a safe link is followed.
  const target = safeLink(link);
  if (!target) return { found: false };
  if (input.count) {
    await ports.recorder.record({
      kind: 'click',
      messageId: input.messageId,
      linkIndex: input.linkIndex,
      facts: input.facts,
    });
  }
  return { found: true, kind: 'click', target };
}
