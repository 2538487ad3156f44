import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every `.litmus` file below a directory, sorted. */
export function litmusFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...litmusFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.litmus')) files.push(path);
  }
  return files.sort();
}
