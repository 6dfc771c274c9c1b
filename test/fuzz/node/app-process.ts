// The Node fuzz target: a seeded libSQL file, the app serving it from a child
// process (child-app.ts), and a second connection that reads digests and
// invariants through hex() only. A child that dies is reported as "no
// answer" with its exit code and the last lines it wrote, then restarted; the
// store is put back to the seed by copying the seed's rows back in.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { nodeTokenSigner } from '../../../src/adapters/crypto/node-signer.ts';
import { loadCampaigns } from '../../../src/config/campaign-loader.ts';
import { migrateLibsql, openLibsqlStore } from '../../../src/db/libsql.ts';
import type { FuzzContext, FuzzRequest } from '../fuzz-case.ts';
import type { FuzzTarget, Sent } from '../run-case.ts';
import { seedFuzzStore } from '../seed.ts';
import { StoreInspector } from '../store-checks.ts';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const signingSecret = 'fuzz-signing-secret-0123456789';
/** Longer than any sane request takes here; a case that hits it is a finding ("no answer"). */
const answerTimeoutMs = 30_000;

export interface NodeTarget extends FuzzTarget {
  ctx: FuzzContext;
  /** The app process's answer to GET /healthz, after everything. */
  healthz(): Promise<Sent>;
  /** Every table read as text by the driver in a fresh process: null when it worked, else what happened. */
  readAllTables(): Promise<string | null>;
  /** How many times the app process died and was restarted. */
  restarts(): number;
  close(): Promise<void>;
}

async function seedFile(path: string): Promise<FuzzContext> {
  const loaded = await loadCampaigns({
    dir: join(repoRoot, 'campaigns'),
    emailsDir: join(repoRoot, 'emails'),
  });
  if (!loaded.ok) throw new Error('the shipped campaigns must be valid');
  const store = await openLibsqlStore({ url: `file:${path}` });
  await migrateLibsql(store);
  const ctx = await seedFuzzStore(store, loaded.set, nodeTokenSigner(signingSecret));
  await store.db.run(sql.raw('PRAGMA wal_checkpoint(TRUNCATE)'));
  await store.close();
  return ctx;
}

function runNode(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', here(script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitText(child: ChildProcess): string {
  return child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`;
}

class AppChild {
  private stderr = '';
  readonly exited: Promise<void>;

  private constructor(
    readonly process: ChildProcess,
    readonly port: number,
  ) {
    process.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((done) => process.once('exit', () => done()));
  }

  static async start(dbUrl: string): Promise<AppChild> {
    const child = runNode('./child-app.ts', [], {
      FUZZ_DATABASE_URL: dbUrl,
      FUZZ_SIGNING_SECRET: signingSecret,
    });
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-4000);
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', () =>
        reject(new Error(`the fuzz app process did not start (${exitText(child)}): ${err}`)),
      );
    });
    return new AppChild(child, port);
  }

  alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** What the process said last, cut to the lines that explain a crash (no request data). */
  lastWords(): string {
    const lines = this.stderr.split('\n').filter((l) => /panicked|called `|Error|error:/.test(l));
    return lines.slice(0, 3).join(' | ').slice(0, 400);
  }

  async stop(): Promise<void> {
    if (this.alive()) this.process.kill('SIGTERM');
    await this.exited;
  }
}

function bodyInit(request: FuzzRequest): { body?: Uint8Array | ReadableStream<Uint8Array>; duplex?: 'half' } {
  const { body } = request;
  if (!body) return {};
  if (!request.chunked) return { body };
  const chunk = 64 * 1024;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < body.length; at += chunk) controller.enqueue(body.slice(at, at + chunk));
      controller.close();
    },
  });
  return { body: stream, duplex: 'half' };
}

export async function startNodeTarget(): Promise<NodeTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'rekindle-fuzz-'));
  const seedPath = join(dir, 'seed.db');
  const livePath = join(dir, 'live.db');
  const ctx = await seedFile(seedPath);
  await copyFile(seedPath, livePath);
  const checker: Client = createClient({ url: `file:${livePath}` });
  await checker.execute('PRAGMA busy_timeout = 10000');
  const reader = {
    all: async (text: string) => (await checker.execute(text)).rows as Record<string, unknown>[],
  };
  const inspector = new StoreInspector(reader);
  const tables = [...(await inspector.digest()).keys()];
  let child = await AppChild.start(`file:${livePath}`);
  let restarts = 0;
  let lastVersion = -1;

  const dataVersion = async () => Number((await checker.execute('PRAGMA data_version')).rows[0]?.[0]);

  async function send(request: FuzzRequest): Promise<Sent> {
    const url = `http://127.0.0.1:${child.port}${request.path}`;
    try {
      const response = await fetch(url, {
        method: request.method,
        headers: request.headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(answerTimeoutMs),
        ...bodyInit(request),
      } as RequestInit);
      const body = new Uint8Array(await response.arrayBuffer());
      return { answered: true, status: response.status, headers: response.headers, body };
    } catch (error) {
      await Promise.race([child.exited, new Promise((done) => setTimeout(done, 2000))]);
      if (!child.alive()) {
        return {
          answered: false,
          why: `the app process died (${exitText(child.process)}): ${child.lastWords()}`,
        };
      }
      const reason =
        error instanceof Error
          ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}`
          : String(error);
      return { answered: false, why: `no answer: ${reason}` };
    }
  }

  async function restoreSeed(): Promise<void> {
    await checker.execute(`ATTACH DATABASE '${seedPath.replaceAll("'", "''")}' AS seed`);
    try {
      await checker.batch(
        tables.flatMap((t) => [
          `DELETE FROM main."${t}"`,
          `INSERT INTO main."${t}" SELECT * FROM seed."${t}"`,
        ]),
        'write',
      );
    } finally {
      await checker.execute('DETACH DATABASE seed');
    }
  }

  return {
    ctx,
    inspector,
    send,
    async maybeChanged() {
      const version = await dataVersion();
      const changed = version !== lastVersion;
      lastVersion = version;
      return changed;
    },
    async recover() {
      if (!child.alive()) {
        await child.stop();
        restarts++;
      }
      await restoreSeed();
      if (!child.alive()) child = await AppChild.start(`file:${livePath}`);
      lastVersion = -1;
    },
    healthz: () => send({ method: 'GET', path: '/healthz', headers: {} }),
    async readAllTables() {
      const reader = runNode('./read-tables.ts', [`file:${livePath}`], {});
      let err = '';
      reader.stderr?.on('data', (chunk: Buffer) => {
        err = (err + chunk.toString()).slice(-2000);
      });
      await new Promise((done) => reader.once('exit', done));
      if (reader.exitCode === 0) return null;
      const why = err
        .split('\n')
        .filter((l) => /panicked|called `|Error/.test(l))
        .slice(0, 2)
        .join(' | ');
      return `reading every table as text failed (${exitText(reader)}): ${why.slice(0, 300)}`;
    },
    restarts: () => restarts,
    async close() {
      await child.stop();
      checker.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
