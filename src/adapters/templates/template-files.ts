// Reads templates and partials from the emails folder for the Node home and
// the build script. Template names are plain file names: a name with a path
// separator or a leading dot is refused, so a campaign file cannot make the
// renderer read outside the folder.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceReader } from './partials.ts';

export function isTemplateName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.mjml$/.test(name);
}

export function folderReader(emailsDir: string): SourceReader {
  return {
    async read(path) {
      if (!path.split('/').every((part) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(part))) return null;
      try {
        return await readFile(join(emailsDir, ...path.split('/')), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}

/** The top-level templates of the folder (partials/ excluded), sorted. */
export async function listTemplates(emailsDir: string): Promise<string[]> {
  const entries = await readdir(emailsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && isTemplateName(entry.name))
    .map((entry) => entry.name)
    .sort();
}
