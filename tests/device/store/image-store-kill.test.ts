// A real crash, not an injected one: a child process commits in a loop and is SIGKILLed at a random
// moment; the image it leaves must open to one whole committed record, no older than the last one the
// child acknowledged (band-management.md D2 step 11). SIGKILL tests process death; the page cache
// survives it, so this complements — not replaces — the injected power-loss tests, which tear commits
// at every write step.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { createImage, openImage } from '../../../src/device/store';
import { transpileStore } from './fixtures/transpile-store';

const FIXTURE = path.join(__dirname, 'fixtures', 'commit-loop.js');
const SEED = Number(process.env.FC_SEED ?? 42);
const ROUNDS = 8;

/** the same recipe as fixtures/commit-loop.js */
function makeRecord(i: number): Uint8Array {
  const length = 4 + ((i * 7919) % 3000);
  const r = new Uint8Array(length);
  new DataView(r.buffer).setUint32(0, i, true);
  for (let j = 4; j < length; j++) r[j] = (i + j * 31) & 0xff;
  return r;
}

let dir: string;
let storeDir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vdisk-kill-'));
  storeDir = transpileStore(path.join(dir, 'store'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the child until `killAfterMs` after its first acknowledgement, SIGKILLs it, returns the last ack. */
function crashRun(image: string, killAfterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FIXTURE, storeDir, image], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let lastAck = -1;
    let timer: NodeJS.Timeout | null = null;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        const m = /^ack (\d+)$/.exec(line);
        if (m) lastAck = Math.max(lastAck, Number(m[1]));
      }
      if (lastAck >= 0 && timer === null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: string) => (err += chunk));
    // 'close' waits for the pipes to drain, so every ack the child wrote has been counted.
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended with code ${code}, signal ${signal}: ${err}`));
      else resolve(lastAck);
    });
  });
}

test(`SIGKILL during a commit loop leaves one whole committed record (seed ${SEED})`, async () => {
  const image = path.join(dir, 'disk.img');
  const created = createImage(image, { sectorSize: 512, sectors: 64, maxMetadataBytes: 4096 });
  if (!created.ok) throw new Error(created.error.message);
  created.store.close();

  const delays = fc.sample(fc.integer({ min: 0, max: 40 }), { seed: SEED, numRuns: ROUNDS });
  let previous = 0;
  for (const delay of delays) {
    const lastAck = await crashRun(image, delay);
    expect(lastAck).toBeGreaterThan(previous); // each round committed at least once

    const opened = openImage(image);
    if (!opened.ok) throw new Error(`after kill at +${delay} ms: ${opened.error.code}: ${opened.error.message}`);
    const s = opened.store;
    const g = s.metadataGeneration;
    // commit g+1 starts only after "ack g" is written, so at most one unacknowledged commit can have landed
    expect({ delay, g: g === lastAck || g === lastAck + 1 }).toEqual({ delay, g: true });
    expect(s.loadMetadata()).toEqual(makeRecord(g));
    // the sector written before commit g was made durable by it
    const sector = new Uint8Array(512);
    expect(s.read(g % 16, 1, sector).ok).toBe(true);
    expect(sector).toEqual(new Uint8Array(512).fill(g & 0xff));
    s.close();
    previous = g;
  }
}, 60_000);
