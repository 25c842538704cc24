import { createHash } from 'node:crypto';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { io, type Tensor } from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchModel, type FetchModelOptions } from '../../src/load/fetch-model.js';
import type { LoadProgress } from '../../src/options.js';
import { useBackend } from '../../tools/models/tf-node.js';
import { rejectsWith } from './expect-error.js';
import { fakeModel, WEIGHT_COUNT, weights, type FakeModel } from '../../tools/models/fake-model.js';
import { startModelServer, type ModelServer } from './model-server.js';

let server: ModelServer;
let model: FakeModel;
let tf: Awaited<ReturnType<typeof useBackend>>;

beforeAll(async () => {
  tf = await useBackend('cpu');
});

beforeEach(async () => {
  server = await startModelServer();
  model = fakeModel();
  server.serve(model);
});

afterEach(() => server.close());

const load = (extra: Partial<FetchModelOptions> = {}) =>
  fetchModel({ modelUrl: server.modelUrl, cache: false, verifyIntegrity: true, ...extra });

const shardPath = (index: number) => `/model/group1-shard${index + 1}of3.bin`;
const shardRecord = (index: number) => model.metadata.weights.shards[index]!;
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('fetchModel over HTTP', () => {
  it('returns artifacts the stock loadGraphModel runs, with the shards reassembled in order', async () => {
    const fetched = await load();
    expect(fetched.metadata).toEqual(model.metadata);
    expect(fetched).toMatchObject({ fromCache: false, bytes: model.totalBytes });
    expect(fetched.timings.verifyMs).toBeGreaterThan(0);
    expect(fetched.timings.fetchMs).toBeGreaterThan(0);
    expect(server.requests[0]).toBe('/model/model.json');
    expect(server.requests.slice(1).sort()).toEqual([shardPath(0), shardPath(1), shardPath(2)]);
    const graph = await loadGraphModel(io.fromMemory(fetched.artifacts));
    const y = graph.execute(tf.zeros([WEIGHT_COUNT])) as Tensor;
    expect(y.dataSync()).toEqual(weights);
  });

  it('appends model.json to a directory URL', async () => {
    await load({ modelUrl: `${server.origin}/model/` });
    expect(server.requests[0]).toBe('/model/model.json');
  });

  it('reports streamed progress: monotonic, from 0 to the metadata total', async () => {
    const events: LoadProgress[] = [];
    await load({ onProgress: (p) => events.push(p) });
    const loaded = events.map((e) => e.loadedBytes);
    expect(loaded[0]).toBe(0);
    expect(loaded.at(-1)).toBe(model.totalBytes);
    expect(loaded.every((n, i) => i === 0 || n >= loaded[i - 1]!)).toBe(true);
    // More events than shards: bytes are reported as they stream, not per finished shard.
    expect(events.length).toBeGreaterThan(4);
    expect(events.every((e) => e.totalBytes === model.totalBytes && !e.fromCache)).toBe(true);
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    await load({ fetch: (input, init) => (seen.push(String(input)), fetch(input, init)) });
    expect(seen).toHaveLength(4);
  });

  it('skips hashing with verifyIntegrity off and no cache (lengths are still checked)', async () => {
    const fetched = await load({ verifyIntegrity: false });
    expect(fetched.timings.verifyMs).toBeLessThan(5);
  });
});

describe('fetchModel errors', () => {
  it('404 on model.json → E_MODEL_NOT_FOUND naming the URL and how to get a model', async () => {
    server.files.delete('/model/model.json');
    const error = await rejectsWith(load(), 'E_MODEL_NOT_FOUND');
    expect(error.message).toContain(server.modelUrl);
    expect(error.message).toContain('npx inception-webgpu convert');
  });

  it('404 on a shard → E_MODEL_NOT_FOUND naming the shard URL', async () => {
    server.files.delete(shardPath(1));
    const error = await rejectsWith(load(), 'E_MODEL_NOT_FOUND');
    expect(error.message).toContain(`${server.origin}${shardPath(1)}`);
  });

  it('another HTTP error → E_NETWORK with the status', async () => {
    server.handlers.set(shardPath(2), (_req, res) => res.writeHead(503).end());
    const error = await rejectsWith(load(), 'E_NETWORK');
    expect(error.message).toMatch(/HTTP 503/);
  });

  it('connection refused → E_NETWORK naming the URL and mentioning CORS', async () => {
    const gone = await startModelServer();
    await gone.close();
    const error = await rejectsWith(fetchModel({ modelUrl: gone.modelUrl, cache: false, verifyIntegrity: true }), 'E_NETWORK');
    expect(error.message).toContain(gone.modelUrl);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toMatch(/Access-Control-Allow-Origin/);
  });

  it('a connection closed before any response → E_NETWORK', async () => {
    server.handlers.set('/model/model.json', (req) => req.socket.destroy());
    await rejectsWith(load(), 'E_NETWORK');
  });

  it('a corrupted shard → E_INTEGRITY naming the shard, expected and found hashes', async () => {
    const corrupt = Buffer.from(model.shards.get('group1-shard2of3.bin')!);
    corrupt[1234] = ~corrupt[1234]!;
    server.files.set(shardPath(1), corrupt);
    const error = await rejectsWith(load(), 'E_INTEGRITY');
    expect(error.message).toContain('group1-shard2of3.bin');
    expect(error.message).toContain(shardRecord(1).sha256);
    expect(error.message).toContain(`SHA-256 ${sha256(corrupt)}`);
  });

  it('a shard shorter or longer than its metadata → E_INTEGRITY with both sizes', async () => {
    const shard = model.shards.get('group1-shard1of3.bin')!;
    server.files.set(shardPath(0), shard.subarray(0, 150_000));
    expect((await rejectsWith(load(), 'E_INTEGRITY')).message).toMatch(/expected 200000 bytes.*found only 150000 bytes/);
    server.files.set(shardPath(0), Buffer.concat([shard, Buffer.alloc(10)]));
    expect((await rejectsWith(load(), 'E_INTEGRITY')).message).toMatch(/found more than 200000 bytes/);
  });

  it('a body cut off mid-stream → E_INTEGRITY saying how much arrived', async () => {
    server.handlers.set(shardPath(0), (_req, res) => {
      res.writeHead(200, { 'content-length': 200_000 });
      res.write(Buffer.alloc(50_000), () => res.destroy());
    });
    const error = await rejectsWith(load(), 'E_INTEGRITY');
    expect(error.message).toMatch(/group1-shard1of3\.bin.*only \d+ bytes before the connection dropped/);
  });

  it('a failing shard cancels the downloads still in flight', async () => {
    server.handlers.set(shardPath(1), (_req, res) => res.writeHead(200, { 'content-length': 200_000 }).write(Buffer.alloc(10)));
    server.files.delete(shardPath(0));
    await rejectsWith(load(), 'E_MODEL_NOT_FOUND');
  });

  it('aborting via the signal → E_ABORTED naming the model, the abort reason as its cause', async () => {
    const controller = new AbortController();
    server.handlers.set(shardPath(1), (_req, res) => res.writeHead(200, { 'content-length': 200_000 }).write(Buffer.alloc(10)));
    const pending = load({ signal: controller.signal, onProgress: (p) => p.loadedBytes > 0 && controller.abort() });
    const error = await rejectsWith(pending, 'E_ABORTED');
    expect(error.message).toContain(server.modelUrl);
    expect(error.cause).toMatchObject({ name: 'AbortError' });
  });

  it('an already-aborted signal makes no request → E_ABORTED', async () => {
    await rejectsWith(load({ signal: AbortSignal.abort() }), 'E_ABORTED');
    expect(server.requests).toEqual([]);
  });

  it('a modelUrl that cannot be resolved → E_BAD_OPTION', async () => {
    await rejectsWith(load({ modelUrl: '' }), 'E_BAD_OPTION');
    await rejectsWith(load({ modelUrl: 'models/inception/' }), 'E_BAD_OPTION');
  });
});

describe('fetchModel rejects what is not a converted Inception model (E_WRONG_MODEL)', () => {
  const metadataOf = (json: FakeModel['modelJson']) => json.userDefinedMetadata.inceptionWebgpu as Record<string, unknown>;
  const variants: [string, (json: FakeModel['modelJson']) => unknown, RegExp][] = [
    ['an HTML page', () => '<!doctype html><html><body>app</body></html>', /is not JSON .*an HTML page/],
    ['plain JSON', () => ({ hello: 'world' }), /is JSON but not a TF\.js model/],
    ['a JSON array', () => [1, 2], /not an object \(an array\)/],
    ['a layers model', () => ({ format: 'layers-model', modelTopology: { class_name: 'Sequential', config: {} }, weightsManifest: [] }), /is a TF\.js layers model/],
    ['a graph model without our metadata', (json) => ({ ...json, userDefinedMetadata: {} }), /without userDefinedMetadata\.inceptionWebgpu/],
    ['format version 99', (json) => (metadataOf(json).formatVersion = 99, json), /format version 99.*upgrade inception-webgpu/],
    ['another architecture', (json) => (metadataOf(json).architecture = 'resnet50', json), /is a "resnet50" model/],
    ['malformed shard records', (json) => ((metadataOf(json).weights as { shards: unknown[] }).shards = [{ path: 'x' }], json), /malformed weights\.shards/],
    ['fewer labels than classes', (json) => (metadataOf(json).labels = ['a'], json), /has 1 string labels for its 2 classes/],
    ['classes without a logits output', (json) => (delete (metadataOf(json).outputs as Record<string, unknown>).logits, json), /has 2 classes but no logits output/],
    ['a malformed normalization', (json) => ((metadataOf(json).preprocessing as Record<string, unknown>).normalization = { name: 'imagenet', mean: [0.5], std: [1, 1, 1] }, json), /malformed preprocessing\.normalization/],
    ['a manifest that disagrees with the metadata', (json) => ((json.weightsManifest as { paths: string[] }[])[0]!.paths.reverse(), json), /lists weight files/],
  ];

  it.each(variants)('%s', async (_name, variant, message) => {
    const body = variant(structuredClone(model.modelJson));
    server.files.set('/model/model.json', typeof body === 'string' ? body : JSON.stringify(body));
    const error = await rejectsWith(load(), 'E_WRONG_MODEL');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(server.modelUrl);
    expect(server.requests).toEqual(['/model/model.json']);
  });
});
