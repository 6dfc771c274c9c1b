// Vitest's global setup: builds src/generated/ (the Worker's campaign bundle
// and precompiled templates) from campaigns/ and emails/ before any test
// imports them. The files are build output, not committed, so a fresh clone
// and a campaign edit leave the tree clean; `npm run build:worker` is the
// same step, and wrangler runs it before `dev` and `deploy`.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build:worker'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
