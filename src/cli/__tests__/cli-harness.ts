/** What the CLI tests share: running `main` in-process, a temp folder. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../main';

/** Run the CLI with `argv`; its exit code and what it printed. */
export async function run(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: text => (stdout += text),
    stderr: text => (stderr += text)
  });
  return { code, stdout, stderr };
}

/**
 * A fresh temporary folder per test (removed after it) and `file(name,
 * content)` writing into it; returns the full path.
 */
export function tempFolder(prefix: string): {
  file(name: string, content: string | Uint8Array): string;
  path(name: string): string;
  root(): string;
} {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    file(name, content) {
      const full = path.join(dir, name);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
      return full;
    },
    path: name => path.join(dir, name),
    root: () => dir
  };
}
