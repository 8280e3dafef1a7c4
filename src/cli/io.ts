// What every subcommand gets: the two output streams and whether stdout is a terminal, so `main` runs
// in-process in tests exactly as from the shell. Usage errors are values (exit status 2), never exceptions.

import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly isTTY: boolean;
}

/** Exit statuses (the team's CLI rule): 0 done, 1 an expectation failed, 2 usage or scenario error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export type Options = NonNullable<ParseArgsConfig['options']>;

export type Parsed =
  | { readonly ok: true; readonly values: Record<string, string | boolean | undefined>; readonly positionals: string[] }
  | { readonly ok: false; readonly message: string };

/** node:util parseArgs (commander 15 is ESM-only, TOOLCHAIN.md), with its thrown usage errors turned into values. */
export function parse(argv: readonly string[], options: Options): Parsed {
  try {
    const r = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { ok: true, values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/** Prints `vdisk CMD: message` and the usage line; returns EXIT_USAGE. */
export function usageError(io: CliIo, command: string, message: string, usage: string): number {
  io.stderr.write(`vdisk ${command}: ${message}\n${usage.split('\n')[0]}\nTry 'vdisk ${command} --help'.\n`);
  return EXIT_USAGE;
}

/** A non-negative integer option value (decimal or 0x hex), or undefined. */
export function parseCount(text: string): number | undefined {
  const s = text.trim();
  if (!/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}
