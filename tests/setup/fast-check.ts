// Fixed seeds in CI: every property runs with FC_SEED (default 42) so a red run replays exactly.
// FC_RUNS scales the number of runs for a longer local campaign.
import fc from 'fast-check';

const seed = Number(process.env.FC_SEED ?? 42);
const numRuns = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : undefined;
fc.configureGlobal({ seed, ...(numRuns ? { numRuns } : {}) });
