// The iSCSI target (RFC 7143): one target name, one portal (portal group tag 1), LUN 0 = the virtual
// disk's logical unit. Each Normal session is its own I_T nexus — InitiatorName + ISID — so reservations
// and unit attentions are per session exactly as for named initiators on the IOCTL path; a new session
// with the same nexus reinstates the old one (§6.3.5: the old connection is closed, an I_T nexus loss).
// The logical unit stays synchronous: each PDU is handled to completion on the event loop.

import net from 'node:net';
import { Connection, type Portal } from './session';
import type { ServedDisk } from './resets';
import type { TargetIdentity } from './login';
import { checkConfig, type ChapConfig } from './chap';

export interface ServeOptions {
  readonly disk: ServedDisk;
  /** "host:port" (default 127.0.0.1:3260); port 0 picks a free one */
  readonly listen?: string;
  readonly iqn?: string;
  /**
   * CHAP credentials (RFC 7143 §12.1.3): when given, every login (Normal and Discovery) must authenticate
   * with CHAP as `user`/`secret`; `target` adds the target's credentials for mutual CHAP. Never logged.
   */
  readonly chap?: ChapConfig;
  /** where connection events go (default: nowhere) */
  readonly log?: (message: string) => void;
}

export const DEFAULT_LISTEN = '127.0.0.1:3260';
export const DEFAULT_IQN = 'iqn.2024-01.dev.vdisk:disk0';

export type ListenAddress = { readonly ok: true; readonly host: string; readonly port: number } | { readonly ok: false; readonly message: string };

/** "host:port", "[v6]:port" or "host" (port 3260, the IANA iSCSI port, §4.1). */
export function parseListen(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text);
  if (m === null) return { ok: false, message: `not host:port: ${JSON.stringify(text)}` };
  const port = m[3] === undefined ? 3260 : Number(m[3]);
  if (port > 65535) return { ok: false, message: `port ${port} out of range` };
  return { ok: true, host: (m[1] ?? m[2])!, port };
}

/** iSCSI names (§4.2.7.2): iqn.yyyy-mm.reversed.domain[:anything], lower case, no spaces. */
export function validIqn(name: string): boolean {
  return /^iqn\.\d{4}-\d{2}\.[a-z0-9.-]+(:[\x21-\x7e]*)?$/.test(name) && name.length <= 223 && name === name.toLowerCase();
}

/**
 * Starts listening and returns the server. `close()` on it also ends every session (a nexus loss for each).
 * An invalid `listen` or `iqn` throws: they are the caller's configuration, checked by the CLI first.
 */
export function serve(options: ServeOptions): net.Server {
  const listen = parseListen(options.listen ?? DEFAULT_LISTEN);
  if (!listen.ok) throw new Error(listen.message);
  const iqn = options.iqn ?? DEFAULT_IQN;
  if (!validIqn(iqn)) throw new Error(`not an iqn. name: ${iqn}`);
  const log = options.log ?? (() => {});
  let chap: ChapConfig | undefined;
  if (options.chap !== undefined) {
    const problem = checkConfig(options.chap); // the message never contains the secret
    if (problem !== undefined) throw new Error(problem);
    // copied so the caller's buffers can be wiped or reused without changing the running target
    const t = options.chap.target;
    chap = {
      user: options.chap.user, secret: Buffer.from(options.chap.secret),
      ...(t !== undefined ? { target: { user: t.user, secret: Buffer.from(t.secret) } } : {}),
    };
  }
  const connections = new Set<Connection>();
  const sessions = new Map<string, Connection>();
  let nextTsih = 1;

  const portal: Portal = {
    disk: options.disk,
    security: chap !== undefined ? { chap } : {},
    identity: (conn): TargetIdentity => {
      const host = conn.socket.localAddress ?? listen.host;
      const shown = host.includes(':') ? `[${host}]` : host;
      return { iqn, address: `${shown}:${conn.socket.localPort ?? listen.port},1` };
    },
    attach(conn) {
      const old = sessions.get(conn.nexus);
      if (old !== undefined && old !== conn) {
        // §6.3.5 session reinstatement: the old session's nexus is lost, then the new one takes its place
        sessions.delete(conn.nexus);
        old.endNexus();
        old.drop('reinstated by a new login of the same initiator and ISID');
      }
      sessions.set(conn.nexus, conn);
      const tsih = nextTsih;
      nextTsih = nextTsih >= 0xfffe ? 1 : nextTsih + 1; // TSIH 0 means "new session" and 0xffff is discovery's
      log(`session ${tsih} for ${conn.nexus}`);
      return tsih;
    },
    detach(conn) {
      connections.delete(conn);
      if (sessions.get(conn.nexus) === conn) {
        sessions.delete(conn.nexus);
        conn.endNexus();
        log(`session ${conn.tsih} for ${conn.nexus} ended`);
      }
    },
    otherNexuses(conn) {
      return [...sessions.keys()].filter((n) => n !== conn.nexus);
    },
    coldReset(from) {
      log(`TARGET COLD RESET from ${from.nexus}`);
      for (const c of [...connections]) {
        if (c === from) c.socket.end(); // let the TMF response reach the initiator first
        else c.drop('target cold reset');
      }
    },
    log,
  };

  const server = net.createServer((socket) => {
    connections.add(new Connection(socket, portal));
  });
  const close = server.close.bind(server);
  server.close = (callback?: (err?: Error) => void) => {
    for (const c of [...connections]) c.drop('target shutting down');
    return close(callback);
  };
  server.listen(listen.port, listen.host);
  return server;
}
