// Where the reference spec lives: `../shared/spec` beside the repository on every developer machine and
// in CI (a fresh clone of main with shared/ beside it); VDISK_SPEC_DIR overrides. Tests read the spec's
// tables and data/*.json from here instead of retyping numbers.
import fs from 'node:fs';
import path from 'node:path';

export function specDir(): string {
  const candidates = [process.env.VDISK_SPEC_DIR, path.resolve(__dirname, '../../../shared/spec')];
  const found = candidates.find((d): d is string => d !== undefined && fs.existsSync(path.join(d, 'data')));
  if (found === undefined) throw new Error('spec directory not found beside the repository; set VDISK_SPEC_DIR');
  return found;
}

export function specJson<T>(name: 'layouts' | 'ioctl-codes' | 'ntstatus'): T {
  return JSON.parse(fs.readFileSync(path.join(specDir(), 'data', `${name}.json`), 'utf8')) as T;
}

export function specText(file: string): string {
  return fs.readFileSync(path.join(specDir(), file), 'utf8');
}
