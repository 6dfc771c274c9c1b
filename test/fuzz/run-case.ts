// Runs one generated case against a target (a child process serving the app
// on a libSQL file, or the Worker in workerd) and returns every property it
// broke: the answer's own (properties.ts), then the store's: a rejected
// request changed no table, an accepted one left valid UTF-8 and sound money
// and links, and what it wrote reads back without a 5xx or a crash. After a
// failure the target is put back to its seed, so one bad row cannot fail
// every later case.
import type { FuzzCase, FuzzContext, FuzzRequest } from './fuzz-case.ts';
import { type Answer, type Failure, judgeAnswer, touchedCustomers } from './properties.ts';
import { digestChanges, type StoreDigest, type StoreInspector } from './store-checks.ts';

/** The answer, or why there was none (the process died, the connection broke, it hung). */
export type Sent = ({ answered: true } & Answer) | { answered: false; why: string };

export interface FuzzTarget {
  send(request: FuzzRequest): Promise<Sent>;
  inspector: StoreInspector;
  /** False when no commit can have happened since the last call (a cheap check); true when unsure. */
  maybeChanged(): Promise<boolean>;
  /** Back to the seeded store, with a live server. */
  recover(): Promise<void>;
}

export interface CaseOutcome {
  /** The status, or "lost" when no answer came. */
  status: number | 'lost';
  failures: Failure[];
}

/** Runs cases one after another, keeping the digest of the store between them. */
export class CaseRunner {
  private digest: StoreDigest | undefined;
  /** Invariants already broken before the current case (a target that cannot reset keeps them). */
  private broken = new Set<string>();

  constructor(
    private readonly target: FuzzTarget,
    private readonly ctx: FuzzContext,
  ) {}

  async run(c: FuzzCase): Promise<CaseOutcome> {
    const { target } = this;
    if (!this.digest || (await target.maybeChanged())) this.digest = await target.inspector.digest();
    const before = this.digest;
    const sent = await target.send(c.request);
    if (!sent.answered) {
      await this.recover();
      return { status: 'lost', failures: [{ property: 'no answer', detail: sent.why }] };
    }
    const failures = judgeAnswer(c, sent);
    if (await target.maybeChanged()) {
      const after = await target.inspector.digest();
      this.digest = after;
      const changes = digestChanges(before, after);
      if (changes.length > 0)
        failures.push(...(await this.afterWrite(c, sent.status, before, after, changes)));
    }
    if (failures.length > 0) await this.recover();
    return { status: sent.status, failures };
  }

  private async afterWrite(
    c: FuzzCase,
    status: number,
    before: StoreDigest,
    after: StoreDigest,
    changes: string[],
  ): Promise<Failure[]> {
    const failures: Failure[] = [];
    if (status >= 400)
      failures.push({ property: 'rejected request changed tables', detail: changes.join(', ') });
    if (c.route === 'sweeps' && status < 300 && isDryRun(c)) {
      failures.push({ property: 'dry-run sweep changed tables', detail: changes.join(', ') });
    }
    for (const cell of this.target.inspector.invalidTextCells(before, after)) {
      failures.push({ property: 'stored text is not valid UTF-8', detail: cell });
    }
    const broken = await this.target.inspector.brokenInvariants();
    for (const text of broken) {
      const property = text.replace(/ \(\d+ rows\)$/, '');
      if (!this.broken.has(property)) failures.push({ property, detail: text });
    }
    this.broken = new Set(broken.map((text) => text.replace(/ \(\d+ rows\)$/, '')));
    if (status < 400) failures.push(...(await this.readBack(c)));
    return failures;
  }

  /** Reads what an accepted write touched through the API, as a shop or a marketer would. */
  private async readBack(c: FuzzCase): Promise<Failure[]> {
    const admin = { authorization: `Bearer ${this.ctx.keys.admin}` };
    const paths = ['/v1/reports/campaigns', '/dashboard'];
    for (const id of touchedCustomers(c)) {
      const encoded = encodeURIComponent(id.replace(/[\ud800-\udfff]/g, '\ufffd'));
      paths.push(
        `/v1/customers/${encoded}/export`,
        `/v1/campaigns/winback/preview?format=json&customer_id=${encoded}`,
      );
    }
    const failures: Failure[] = [];
    for (const path of paths) {
      const answer = await this.target.send({ method: 'GET', path, headers: admin });
      const route = path.replace(/\?.*$/, '').replace(/\/customers\/[^/]+/, '/customers/:id');
      if (!answer.answered) {
        failures.push({
          property: 'read-back lost the server',
          detail: `GET ${route} after the write: ${answer.why}`,
        });
        break;
      }
      if (answer.status >= 500)
        failures.push({ property: 'read-back 5xx', detail: `GET ${route} answered ${answer.status}` });
    }
    return failures;
  }

  private async recover(): Promise<void> {
    await this.target.recover();
    this.digest = await this.target.inspector.digest();
    this.broken = new Set(
      (await this.target.inspector.brokenInvariants()).map((t) => t.replace(/ \(\d+ rows\)$/, '')),
    );
  }
}

function isDryRun(c: FuzzCase): boolean {
  try {
    const body = JSON.parse(
      new TextDecoder().decode(c.request.body ?? new Uint8Array()).replace(/^\ufeff/, ''),
    );
    return body?.dry_run === true;
  } catch {
    return false;
  }
}
