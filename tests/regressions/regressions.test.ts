// Every scenario under tests/regressions/ replays through the public scenario runner (the same one `vdisk run`
// uses) and must meet every expectation it carries. Each file is a bug found once (by the fuzzer, a model
// test or a review), written as the spec's answer, so it failed before its fix.
import fs from 'node:fs';
import path from 'node:path';
import { runScenarioText } from '../../src/scenario/run';

const dir = __dirname;
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();

test('there are regression scenarios', () => expect(files.length).toBeGreaterThan(0));

test.each(files)('%s meets every expectation', (file) => {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  const outcome = runScenarioText(text);
  if (!outcome.ok) throw new Error(`${file}: ${JSON.stringify(outcome)}`);
  const failed = outcome.results.filter((r) => (r as { ok?: boolean }).ok === false);
  expect(failed).toEqual([]);
});
