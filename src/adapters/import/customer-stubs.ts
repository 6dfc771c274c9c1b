// The customer an order row names (id, email, names), checked with the API's
// customer schema and stored only if missing. Shop exports repeat the same
// customer on every order, so the last checks are remembered; it never
// decides whether a stub overwrites anything (the repository never does).
import type { z } from 'zod';
import { customerInput } from '../../core/ingest/records.ts';
import type { CustomerStub } from '../../db/repositories/customers.ts';
import { detached } from './values.ts';

export type StubResult = { ok: true; value: CustomerStub } | { ok: false; issue: z.core.$ZodIssue };

interface Checked {
  email: unknown;
  firstName: unknown;
  lastName: unknown;
  result: StubResult;
}

const rememberAtMost = 10_000;

export class StubChecker {
  private checked = new Map<string, Checked>();

  check(id: string, email: unknown, firstName: unknown, lastName: unknown): StubResult {
    const known = this.checked.get(id);
    if (known && known.email === email && known.firstName === firstName && known.lastName === lastName) {
      return known.result;
    }
    // Kept across chunks, so copied loose from the file's read buffers first.
    const entry = { email: own(email), firstName: own(firstName), lastName: own(lastName) };
    const input: Record<string, unknown> = { id: detached(id) };
    if (entry.email !== undefined) input.email = trim(entry.email);
    if (entry.firstName !== undefined) input.first_name = trim(entry.firstName);
    if (entry.lastName !== undefined) input.last_name = trim(entry.lastName);
    const parsed = customerInput.safeParse(input);
    const result: StubResult = parsed.success
      ? {
          ok: true,
          value: {
            id: parsed.data.id,
            email: parsed.data.email,
            firstName: parsed.data.firstName,
            lastName: parsed.data.lastName,
          },
        }
      : { ok: false, issue: parsed.error.issues[0]! };
    if (this.checked.size >= rememberAtMost) this.checked = new Map();
    this.checked.set(input.id as string, { ...entry, result });
    return result;
  }
}

function own(value: unknown): unknown {
  return typeof value === 'string' ? detached(value) : value;
}

function trim(value: unknown): unknown {
  return typeof value === 'string' ? value.trim() : value;
}
