#!/usr/bin/env node
// The vdisk command line: one file per subcommand, dispatched from here. `main` runs in-process (tests
// pass their own streams) and returns the exit status: 0 done, 1 a failed expectation (or an undecodable
// buffer, a damaged image), 2 a usage or scenario error.

import { codesCommand } from './codes';
import { decodeCommand } from './decode';
import { encodeCommand } from './encode';
import { imageCommand } from './image';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './io';
import { runCommand } from './run';

export type { CliIo } from './io';

export const MAIN_USAGE = `usage: vdisk COMMAND [ARGS]

A virtual disk that speaks the Windows storage IOCTL interface byte for byte.

commands:
  run FILE [--image PATH] [--format table|json]   replay a scenario (JSON Lines) and check its expectations
  decode LAYOUT HEX [--at N]                      decode a captured buffer, with an annotated hex dump
  encode LAYOUT JSON                              encode a structure from JSON, print hex
  codes [NAME|VALUE]                              the IOCTL table, or one code decomposed
  image create PATH --sectors N | image info PATH make or inspect a disk image
  fuzz [--ioctl NAME] [--runs N | --time T] ...     the fuzz campaign
  serve [--image PATH] [--listen HOST:PORT]        serve the disk over iSCSI on loopback

'vdisk COMMAND --help' describes each command.
exit status: 0 ok, 1 an expectation failed, 2 usage or scenario error`;

type Command = (argv: readonly string[], io: CliIo) => number | Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  run: runCommand,
  decode: decodeCommand,
  encode: encodeCommand,
  codes: codesCommand,
  image: imageCommand,
  // loaded on demand: the campaign (worker threads, generators) is not needed by the other commands, and a
  // problem in it cannot take them down
  fuzz: (argv, io) => (require('./fuzz') as typeof import('./fuzz')).fuzzCommand(argv, io),
  serve: (argv, io) => (require('./serve') as typeof import('./serve')).serveCommand(argv, io),
};

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr.write(`${MAIN_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    io.stdout.write(`${MAIN_USAGE}\n`);
    return EXIT_OK;
  }
  const run = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    io.stderr.write(`vdisk: unknown command ${JSON.stringify(command)}\n${MAIN_USAGE}\n`);
    return EXIT_USAGE;
  }
  return run(rest, io);
}

if (require.main === module) {
  // `vdisk run big.jsonl | head`: a reader that went away is not an error worth a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, isTTY: process.stdout.isTTY === true }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // an exception out of vdisk is a bug (STYLE.md): say so, with the stack, and fail
      process.stderr.write(`vdisk: internal error (a bug in vdisk): ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
