/** Expanding command-line PATHs into the files to analyze. */
import * as fs from 'fs';
import * as path from 'path';

/** Directories never descended into. */
const SKIPPED = new Set(['.ipynb_checkpoints', '.git']);

/** A path to analyze, or one that cannot be (reported as a file error). */
export interface ITarget {
  path: string;
  error: string | null;
}

/** Files named on the command line, directories expanded recursively (sorted). */
export function expandPaths(paths: readonly string[]): ITarget[] {
  const targets: ITarget[] = [];
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      targets.push({ path: given, error: 'no such file or directory' });
      continue;
    }
    if (stat.isDirectory()) {
      walk(given, targets);
    } else {
      targets.push({ path: given, error: null });
    }
  }
  return targets;
}

function walk(dir: string, targets: ITarget[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    targets.push({
      path: dir,
      error: `cannot read directory: ${String(error)}`
    });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) {
        walk(full, targets);
      }
    } else if (/\.(ipynb|py)$/i.test(entry.name)) {
      targets.push({ path: full, error: null });
    }
  }
}
