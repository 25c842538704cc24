/**
 * Writes the crafted corpus the fuzz tests use (hostile checkpoints and model.json files) to a
 * folder, to try the CLI or another build on them by hand:
 *
 *   npx tsx scripts/make-fuzz-corpus.ts <dir>
 *   npx inception-webgpu convert <dir>/checkpoints/deep-lists.pth --out /tmp/out   # → E_CORRUPT_FILE
 *
 * Each model.json case sits in its own folder with the fake model's shards, ready to serve.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostileCheckpoints } from '../tools/fuzz/hostile-checkpoints.js';
import { hostileModelJsons } from '../tools/fuzz/hostile-model-json.js';
import { fakeModel } from '../tools/models/fake-model.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: npx tsx scripts/make-fuzz-corpus.ts <output dir>');
  process.exit(2);
}
mkdirSync(join(out, 'checkpoints'), { recursive: true });
for (const { name, write, code } of hostileCheckpoints()) {
  write(join(out, 'checkpoints', name));
  console.log(`checkpoints/${name}  → ${code}`);
}
for (const { name, edit } of hostileModelJsons()) {
  const folder = join(out, 'model-json', name.replace(/[^a-z0-9]+/gi, '-'));
  mkdirSync(folder, { recursive: true });
  const model = fakeModel();
  const json = structuredClone(model.modelJson);
  edit(json);
  writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
  for (const [shard, data] of model.shards) writeFileSync(join(folder, shard), data);
  console.log(`${folder}/model.json  → E_WRONG_MODEL`);
}
