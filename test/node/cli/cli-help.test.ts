// Help never runs anything: every command answers --help and -h with its
// description and does nothing else (no database file appears, no port is
// taken, a broken environment does not matter), `rekindle --help` lists the
// commands in their fixed order, --version prints the version, a closed pipe
// ends a command quietly, and a second serve on a taken port says so in a line.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asksForHelp, commandList, commands } from '../../../src/cli/commands.ts';
import { runCliInProcess, runRekindle } from '../support/cli.ts';

let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rekindle-help-'));
  env = {
    DATABASE_URL: `file:${join(dir, 'never.db')}`,
    OUTBOX_DIR: join(dir, 'outbox'),
    // Were the environment read, this would refuse to start any command.
    SMTP_URL: 'not a url',
    PORT: '1',
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inProcess = (argv: string[]) => runCliInProcess(argv, env);

describe('rekindle <command> --help', { timeout: 120_000 }, () => {
  it('describes every command and runs nothing, with --help and -h, even for serve, migrate and demo', async () => {
    for (const c of commands) {
      for (const argv of [
        [c.name, '--help'],
        [c.name, ...(c.name === 'keys' ? ['create'] : []), '-h'],
        [c.name, 'some-positional', '--json', '--help'],
      ]) {
        const run = await inProcess(argv);
        expect({ argv, code: run.code, stderr: run.stderr }).toEqual({ argv, code: 0, stderr: '' });
        expect(run.stdout).toBe(c.help);
        expect(run.stdout.startsWith(`usage: rekindle ${c.name}`)).toBe(true);
      }
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('as a process too: serve --help prints its help and exits instead of listening', async () => {
    const run = await runRekindle(['serve', '--help'], env);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toBe(commands.find((c) => c.name === 'serve')!.help);
    expect(await readdir(dir)).toEqual([]);
  });

  it('describes each option the command reads, and no option it does not read', () => {
    for (const c of commands) {
      const source = readFileSync(join('src/cli', `${c.name}.ts`), 'utf8');
      const declared = [
        ...source.matchAll(/(?:[{,]|^)\s*'?([a-z][a-z-]*)'?: \{ type: '(?:string|boolean)'/gm),
      ]
        .map((m) => m[1]!)
        .filter((name) => name !== 'help');
      const described = [...c.help.matchAll(/^ {2}(?:-\w, )?--([a-z][a-z-]*)/gm)]
        .map((m) => m[1]!)
        .filter((name) => name !== 'help');
      expect({ command: c.name, options: [...described].sort() }).toEqual({
        command: c.name,
        options: [...new Set(declared)].sort(),
      });
    }
  });

  it('reads --help only before a `--`', () => {
    expect(asksForHelp(['winback', '--help'])).toBe(true);
    expect(asksForHelp(['-h'])).toBe(true);
    expect(asksForHelp(['--', '--help'])).toBe(false);
    expect(asksForHelp(['--json'])).toBe(false);
  });
});

describe('rekindle --help and --version', { timeout: 120_000 }, () => {
  it('lists every command with one line each, in the fixed order', async () => {
    const run = await runRekindle(['--help'], env);
    expect(await inProcess([])).toEqual({ code: 0, stdout: commandList(), stderr: '' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(commandList());
    const listed = [...run.stdout.matchAll(/^ {2}([a-z-]+) {2,}\S/gm)].map((m) => m[1]);
    expect(listed).toEqual(commands.map((c) => c.name));
    expect(listed.slice(0, 3)).toEqual(['validate', 'preview', 'send-test']);
  });

  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const run = await runRekindle(['--version'], env);
    expect([run.code, run.stdout]).toEqual([0, `rekindle ${version}\n`]);
    expect(await inProcess(['-v'])).toEqual({ code: 0, stdout: `rekindle ${version}\n`, stderr: '' });
  });

  it('names an unknown command and exits 2', async () => {
    const run = await inProcess(['swep']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe("rekindle: unknown command 'swep'");
  });
});

describe('output that goes nowhere', { timeout: 120_000 }, () => {
  it('`rekindle … | head` ends quietly when the reader has gone', async () => {
    const child = spawn(process.execPath, ['bin/rekindle.js', 'validate', '--reference'], {
      env: { ...process.env, ...env },
    });
    // The reader goes away before the command writes: every write is EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('a second serve', { timeout: 120_000 }, () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
  });

  it('on a taken port says so in one line and leaves', async () => {
    const run = await runRekindle(['serve'], {
      DATABASE_URL: `file:${join(dir, 'serve.db')}`,
      OUTBOX_DIR: join(dir, 'outbox'),
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toBe(
      `rekindle: port ${port} on 127.0.0.1 is already in use (another rekindle serve?); stop it or set PORT\n`,
    );
    expect(existsSync(join(dir, 'outbox'))).toBe(false);
    await rm(join(dir, 'serve.db'), { force: true });
  });
});
