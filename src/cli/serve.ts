// `vdisk serve [--image PATH] [--listen 127.0.0.1:3260] [--iqn NAME] [--sectors N] [--chap-user NAME
// --chap-secret-file PATH]`: serves the disk's
// logical unit over iSCSI (src/iscsi, docs/decisions/iscsi.md) until SIGINT/SIGTERM. Resolves with the exit
// status once the server has stopped, so tests can run it in-process with their own streams.

import fs from 'node:fs';
import type net from 'node:net';
import { MAX_SECRET_BYTES } from '../iscsi/chap';
import { openImage } from '../device/store';
import type { BlockStore } from '../device/store';
import { VirtualDisk } from '../device/virtual-disk';
import { DEFAULT_IQN, DEFAULT_LISTEN, parseListen, serve, validIqn } from '../iscsi/target';
import { EXIT_FAILED, EXIT_OK, parse, parseCount, usageError, type CliIo } from './io';

export const SERVE_USAGE = `usage: vdisk serve [--image PATH] [--listen HOST:PORT] [--iqn NAME] [--sectors N] [--chap-user NAME [--chap-secret-file PATH]] [--verbose]

Serves the virtual disk as LUN 0 of an iSCSI target (RFC 7143) until interrupted (SIGINT, SIGTERM).
Every session (initiator name + ISID) is its own initiator for reservations and unit attentions.

  --image PATH       serve the disk image PATH (made with "vdisk image create"); default: a new in-memory disk
  --sectors N        capacity of the in-memory disk in 512-byte sectors (default 65536 = 32 MiB)
  --listen HOST:PORT address to listen on (default ${DEFAULT_LISTEN}; port 0 picks a free one)
  --iqn NAME         the target name (default ${DEFAULT_IQN})
  --chap-user NAME   require CHAP (RFC 7143 §12.1.3) with this initiator user name for every login
  --chap-secret-file PATH
                     the CHAP secret: the file's contents (one trailing newline removed); without it the
                     secret is taken from the environment variable VDISK_CHAP_SECRET. The secret is never
                     accepted on the command line (it would show in ps) and never printed.
  --verbose          log sessions and refused logins to stderr
  -h, --help         this text

exit status: 0 stopped by a signal, 1 the server failed (address in use, image unusable), 2 usage error`;

const DEFAULT_MEMORY_SECTORS = 65536;

export interface ServeHooks {
  /** called once the server listens (tests learn the port from it) */
  readonly onListening?: (server: net.Server) => void;
  /** the server stops when this resolves (default: SIGINT or SIGTERM) */
  readonly until?: Promise<void>;
  /** where VDISK_CHAP_SECRET is looked up (default process.env) */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A secret file larger than this is not a CHAP secret: it is refused before it is read. */
const MAX_SECRET_FILE_BYTES = 4096;

type SecretResult = { readonly ok: true; readonly secret: Buffer } | { readonly ok: false; readonly message: string };

/** The CHAP secret from --chap-secret-file or VDISK_CHAP_SECRET; messages name the source, never the secret. */
function readSecret(file: string | undefined, env: Readonly<Record<string, string | undefined>>): SecretResult {
  let raw: Buffer;
  let source: string;
  if (file !== undefined) {
    source = `--chap-secret-file ${file}`;
    try {
      if (fs.statSync(file).size > MAX_SECRET_FILE_BYTES) return { ok: false, message: `${source}: larger than ${MAX_SECRET_FILE_BYTES} bytes` };
      raw = fs.readFileSync(file);
    } catch (e) {
      return { ok: false, message: `${source}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}` };
    }
  } else {
    const v = env.VDISK_CHAP_SECRET;
    if (v === undefined) return { ok: false, message: '--chap-user needs --chap-secret-file PATH or VDISK_CHAP_SECRET' };
    source = 'VDISK_CHAP_SECRET';
    raw = Buffer.from(v, 'utf8');
  }
  let end = raw.length;
  if (end > 0 && raw[end - 1] === 0x0a) end -= 1;
  if (end > 0 && raw[end - 1] === 0x0d) end -= 1;
  const secret = raw.subarray(0, end);
  if (secret.length === 0 || secret.length > MAX_SECRET_BYTES) return { ok: false, message: `${source}: the secret must be 1-${MAX_SECRET_BYTES} bytes` };
  return { ok: true, secret: Buffer.from(secret) };
}

export async function serveCommand(argv: readonly string[], io: CliIo, hooks: ServeHooks = {}): Promise<number> {
  const args = parse(argv, {
    image: { type: 'string' }, listen: { type: 'string' }, iqn: { type: 'string' }, sectors: { type: 'string' },
    verbose: { type: 'boolean' }, 'chap-user': { type: 'string' }, 'chap-secret-file': { type: 'string' },
  });
  if (!args.ok) return usageError(io, 'serve', args.message, SERVE_USAGE);
  if (args.values.help) {
    io.stdout.write(`${SERVE_USAGE}\n`);
    return EXIT_OK;
  }
  if (args.positionals.length !== 0) return usageError(io, 'serve', `unexpected argument ${JSON.stringify(args.positionals[0])}`, SERVE_USAGE);
  const listenText = (args.values.listen as string | undefined) ?? DEFAULT_LISTEN;
  const listen = parseListen(listenText);
  if (!listen.ok) return usageError(io, 'serve', `--listen: ${listen.message}`, SERVE_USAGE);
  const iqn = (args.values.iqn as string | undefined) ?? DEFAULT_IQN;
  if (!validIqn(iqn)) return usageError(io, 'serve', `--iqn ${JSON.stringify(iqn)}: not an iqn. name (RFC 7143 §4.2.7.2)`, SERVE_USAGE);
  const chapUser = args.values['chap-user'] as string | undefined;
  const secretFile = args.values['chap-secret-file'] as string | undefined;
  let chap: { user: string; secret: Buffer } | undefined;
  if (chapUser === undefined && secretFile !== undefined) return usageError(io, 'serve', '--chap-secret-file needs --chap-user', SERVE_USAGE);
  if (chapUser !== undefined) {
    if (chapUser.length === 0 || Buffer.byteLength(chapUser, 'utf8') > 255) return usageError(io, 'serve', '--chap-user: 1-255 bytes', SERVE_USAGE);
    const s = readSecret(secretFile, hooks.env ?? process.env);
    if (!s.ok) return usageError(io, 'serve', s.message, SERVE_USAGE);
    chap = { user: chapUser, secret: s.secret };
  }
  const imagePath = args.values.image as string | undefined;
  if (imagePath !== undefined && args.values.sectors !== undefined) {
    return usageError(io, 'serve', '--sectors applies to the in-memory disk; an image has its own geometry', SERVE_USAGE);
  }
  let sectors = DEFAULT_MEMORY_SECTORS;
  if (args.values.sectors !== undefined) {
    const n = parseCount(args.values.sectors as string);
    if (n === undefined || n === 0) return usageError(io, 'serve', `--sectors ${String(args.values.sectors)}: not a positive integer`, SERVE_USAGE);
    sectors = n;
  }

  let store: BlockStore | undefined;
  if (imagePath !== undefined) {
    const r = openImage(imagePath);
    if (!r.ok) {
      io.stderr.write(`vdisk serve: image ${imagePath} refused (${r.error.code}): ${r.error.message}\n`);
      return EXIT_FAILED;
    }
    for (const w of r.warnings) io.stderr.write(`vdisk serve: image ${imagePath}: warning: ${w}\n`);
    store = r.store;
  }
  const created = VirtualDisk.create(store !== undefined
    ? { store, sectors: store.sectors, sectorSize: store.sectorSize }
    : { sectors });
  if (!created.ok) {
    store?.close();
    io.stderr.write(`vdisk serve: ${created.error.message}\n`);
    return EXIT_FAILED;
  }
  const disk = created.disk;
  const verbose = args.values.verbose === true;
  const server = serve({ disk, listen: listenText, iqn, ...(chap !== undefined ? { chap } : {}), ...(verbose ? { log: (m: string) => io.stderr.write(`vdisk serve: ${m}\n`) } : {}) });

  const failed = await new Promise<Error | undefined>((resolve) => {
    server.once('listening', () => resolve(undefined));
    server.once('error', (e) => resolve(e));
  });
  if (failed !== undefined) {
    store?.close();
    io.stderr.write(`vdisk serve: cannot listen on ${listenText}: ${failed.message}\n`);
    return EXIT_FAILED;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : listen.port;
  io.stdout.write(`serving ${iqn} (LUN 0: ${disk.options.sectors} × ${disk.options.sectorSize} bytes) on ${listen.host}:${port}${chap !== undefined ? `, CHAP required for ${chap.user}` : ''}\n`);
  hooks.onListening?.(server);

  await (hooks.until ?? new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const closed = store?.close();
  if (closed !== undefined && !closed.ok) {
    io.stderr.write(`vdisk serve: closing ${imagePath}: ${closed.message}\n`);
    return EXIT_FAILED;
  }
  return EXIT_OK;
}
