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

/** How many folders above the notebook's a relative data path is looked for. */
const PARENT_FOLDERS = 3;

/**
 * The size of a data file a notebook reads, looked up on disk relative to
 * the notebook's folder (as the kernel resolves it when started there),
 * else relative to the folders above it (notebooks in a book's chapter
 * folders often read `data/...` from the repository's root); for a folder
 * the total of the files directly in it (what a loop over its listing
 * reads); null for a URL, a missing path or anything else.
 */
export function fileSizes(notebookPath: string): (p: string) => number | null {
  const folders = [path.dirname(path.resolve(notebookPath))];
  for (let i = 0; i < PARENT_FOLDERS; i++) {
    const up = path.dirname(folders[folders.length - 1]);
    if (up === folders[folders.length - 1]) {
      break;
    }
    folders.push(up);
  }
  const known = new Map<string, number | null>();
  return (spelled: string): number | null => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spelled) || spelled.startsWith('~')) {
      return null;
    }
    let size = known.get(spelled);
    if (size === undefined) {
      size = null;
      const candidates = path.isAbsolute(spelled) ? [''] : folders;
      for (const folder of candidates) {
        try {
          const found = path.resolve(folder, spelled);
          const stat = fs.statSync(found);
          size = stat.isFile()
            ? stat.size
            : stat.isDirectory()
              ? folderSize(found)
              : null;
          break;
        } catch {
          // not there: try the next folder up
        }
      }
      known.set(spelled, size);
    }
    return size;
  };
}

/** Most entries of a folder summed before its size counts as unknown. */
const FOLDER_ENTRIES = 10_000;

/**
 * The total size of the files directly in a folder (what a loop over its
 * listing reads), or null for a folder too big to list quickly.
 */
function folderSize(folder: string): number | null {
  const entries = fs.readdirSync(folder, { withFileTypes: true });
  if (entries.length > FOLDER_ENTRIES) {
    return null;
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.isFile()) {
      total += fs.statSync(path.join(folder, entry.name)).size;
    }
  }
  return total;
}
