// One campaign shard in a worker thread: runs runShard with the options it was started with, posts progress
// and its final statistics to the parent (campaign-pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { runShard, type ShardOptions } from './campaign';

if (parentPort) {
  const port = parentPort;
  const opts = workerData as ShardOptions;
  const stats = runShard({ ...opts, onProgress: (s) => port.postMessage({ type: 'progress', stats: s }) });
  port.postMessage({ type: 'done', stats });
}
