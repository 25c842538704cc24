import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../shared/errors.js';
import { fetchModel } from '../../src/load/fetch-model.js';
import { parseModelJson } from '../../src/load/model-json.js';
import { hostileModelJsons } from '../../tools/fuzz/hostile-model-json.js';
import { syntheticModelDir } from '../../tools/models/synthetic-model.js';
import { rejectsWith } from './expect-error.js';
import { fakeModel } from '../../tools/models/fake-model.js';
import { startModelServer } from './model-server.js';

const url = 'https://models.example/model.json';

describe.each(hostileModelJsons())('model.json with $name', ({ edit, message }) => {
  it('is refused with E_WRONG_MODEL before TF.js sees it', () => {
    const json = structuredClone(fakeModel().modelJson);
    edit(json);
    let error: unknown;
    try {
      parseModelJson(JSON.stringify(json), url);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('E_WRONG_MODEL');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(url);
    expect((error as Error).message.length).toBeLessThan(600);
  });
});

describe('model.json validation', () => {
  it('refuses a hostile model.json served over HTTP without fetching any shard', async () => {
    const server = await startModelServer();
    try {
      const model = fakeModel();
      server.serve(model);
      const evilOp = hostileModelJsons().find((c) => c.name === 'an unknown op')!;
      const json = structuredClone(model.modelJson);
      evilOp.edit(json);
      server.files.set('/model/model.json', JSON.stringify(json));
      const error = await rejectsWith(fetchModel({ modelUrl: server.modelUrl, cache: false, verifyIntegrity: true }), 'E_WRONG_MODEL');
      expect(error.message).toMatch(/op "EvilOp"/);
      expect(server.requests).toEqual(['/model/model.json']);
    } finally {
      await server.close();
    }
  });

  it.each(['float32', 'float16', 'uint8'] as const)('accepts what the converter writes (%s)', async (dtype) => {
    const dir = await syntheticModelDir(dtype);
    const { metadata } = parseModelJson(readFileSync(join(dir, 'model.json'), 'utf8'), url);
    expect(metadata.weights.dtype).toBe(dtype);
  });
});
