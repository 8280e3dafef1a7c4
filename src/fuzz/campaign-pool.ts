// Runs a campaign on K worker threads, one shard per worker with its own seed (seed + k), and merges their
// statistics. With K = 0 (or when the compiled worker is not available, as under ts-jest) the shard runs in
// this thread.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { emptyStats, mergeStats, runShard, type CampaignStats, type ShardOptions } from './campaign';

export interface PoolOptions extends Omit<ShardOptions, 'onProgress'> {
  readonly workers: number;
  readonly onProgress?: (stats: CampaignStats) => void;
}

const WORKER = path.join(__dirname, 'worker.js');

export function workersAvailable(): boolean {
  return fs.existsSync(WORKER);
}

export async function runCampaign(opts: PoolOptions): Promise<CampaignStats> {
  const k = Math.max(0, Math.floor(opts.workers));
  if (k === 0 || !workersAvailable() || opts.path !== undefined) {
    const { workers: _w, ...shard } = opts;
    return runShard(shard);
  }
  const latest: CampaignStats[] = Array.from({ length: k }, emptyStats);
  const report = (): void => {
    if (!opts.onProgress) return;
    const total = emptyStats();
    for (const s of latest) mergeStats(total, s);
    opts.onProgress(total);
  };
  const shards = Array.from({ length: k }, (_, i) => new Promise<CampaignStats>((resolve, reject) => {
    const { onProgress: _p, workers: _w, ...rest } = opts;
    const data: ShardOptions = {
      ...rest,
      seed: (opts.seed + i) >>> 0,
      ...(opts.cases !== undefined ? { cases: Math.ceil(opts.cases / k) } : {}),
    };
    const w = new Worker(WORKER, { workerData: data });
    w.on('message', (m: { type: 'progress' | 'done'; stats: CampaignStats }) => {
      latest[i] = m.stats;
      if (m.type === 'done') resolve(m.stats);
      else report();
    });
    w.on('error', reject);
    w.on('exit', (code) => { if (code !== 0) reject(new Error(`fuzz worker ${i} exited with ${code}`)); });
  }));
  const results = await Promise.all(shards);
  const total = emptyStats();
  for (const s of results) mergeStats(total, s);
  return total;
}
