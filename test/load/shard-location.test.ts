import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchModel, type FetchModelOptions } from '../../src/load/fetch-model.js';
import { fileFetch } from '../../src/node/file-fetch.js';
import { rejectsWith } from './expect-error.js';
import { fakeModel, type FakeModel } from '../../tools/models/fake-model.js';
import { startModelServer, type ModelServer } from './model-server.js';

let server: ModelServer;
/** Another origin (another port): a third party the model must not reach unless allowed. */
let other: ModelServer;
let model: FakeModel;

beforeEach(async () => {
  [server, other] = await Promise.all([startModelServer(), startModelServer()]);
  model = fakeModel();
  server.serve(model);
  other.serve(model);
});

afterEach(() => Promise.all([server.close(), other.close()]));

/** model.json with shard `index` renamed to `path`, in both lists that name it. */
function withShardPath(index: number, path: string): string {
  const json = structuredClone(model.modelJson) as FakeModel['modelJson'] & { weightsManifest: { paths: string[] }[] };
  json.weightsManifest[0]!.paths[index] = path;
  (json.userDefinedMetadata.inceptionWebgpu as { weights: { shards: { path: string }[] } }).weights.shards[index]!.path = path;
  return JSON.stringify(json);
}

const load = (extra: Partial<FetchModelOptions> = {}) => fetchModel({ modelUrl: server.modelUrl, cache: false, verifyIntegrity: true, ...extra });

describe('shards come only from where model.json came from (E_UNSAFE_MODEL_PATH)', () => {
  const refused = async (path: string, why: RegExp) => {
    server.files.set('/model/model.json', withShardPath(1, path));
    const error = await rejectsWith(load(), 'E_UNSAFE_MODEL_PATH');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(why);
    expect(error.message).toMatch(/allowedOrigins/);
    // Refused before any shard request: only model.json was fetched, and the third party saw nothing.
    expect(server.requests).toEqual(['/model/model.json']);
    expect(other.requests).toEqual([]);
  };

  it('an absolute URL on another origin', () => refused(`${other.origin}/model/group1-shard2of3.bin`, /is on http:\/\/127\.0\.0\.1:\d+, not on model\.json's origin/));
  it('a protocol-relative URL', () => refused(`//${new URL(other.origin).host}/model/group1-shard2of3.bin`, /protocol-relative/));
  it('a file: URL from a model served over http', () => refused('file:///etc/hostname', /reads a local file for a model served over the network/));
  it('a data: URL', () => refused('data:application/octet-stream;base64,AAAA', /not on model\.json's origin/));

  it('a redirect to another origin, refused before the other origin is contacted', async () => {
    const shard = '/model/group1-shard2of3.bin';
    server.handlers.set(shard, (_req, res) => res.writeHead(302, { location: `${other.origin}${shard}` }).end());
    const error = await rejectsWith(load(), 'E_UNSAFE_MODEL_PATH');
    expect(error.message).toMatch(/redirected to http:\/\/127\.0\.0\.1:\d+\/model\/group1-shard2of3\.bin/);
    expect(other.requests).toEqual([]);
  });

  it('a redirect loop → E_NETWORK after a few hops', async () => {
    server.handlers.set('/model/group1-shard2of3.bin', (_req, res) => res.writeHead(302, { location: '/model/group1-shard2of3.bin' }).end());
    expect((await rejectsWith(load(), 'E_NETWORK')).message).toMatch(/redirected more than 5 times/);
  });

  it('but a redirect within the origin is followed', async () => {
    server.handlers.set('/model/group1-shard2of3.bin', (_req, res) => res.writeHead(302, { location: '/model/moved.bin' }).end());
    server.files.set('/model/moved.bin', model.shards.get('group1-shard2of3.bin')!);
    expect((await load()).bytes).toBe(model.totalBytes);
  });

  it('and a CDN the app lists in allowedOrigins is used', async () => {
    server.files.set('/model/model.json', withShardPath(1, `${other.origin}/model/group1-shard2of3.bin`));
    expect((await load({ allowedOrigins: [other.origin] })).bytes).toBe(model.totalBytes);
    expect(other.requests).toEqual(['/model/group1-shard2of3.bin']);
  });
});

describe('a model on disk reads shards only from its own folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shard-location-'));
    for (const [name, data] of model.shards) writeFileSync(join(dir, name), data);
    writeFileSync(join(dir, '..', 'outside.bin'), model.shards.get('group1-shard2of3.bin')!);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(dir, '..', 'outside.bin'), { force: true });
  });

  const loadFromDisk = (path: string) => {
    writeFileSync(join(dir, 'model.json'), withShardPath(1, path));
    return fetchModel({ modelUrl: pathToFileURL(join(dir, 'model.json')).href, cache: false, verifyIntegrity: true, fetch: fileFetch });
  };

  it('refuses ../ out of the folder', async () => {
    const error = await rejectsWith(loadFromDisk('../outside.bin'), 'E_UNSAFE_MODEL_PATH');
    expect(error.message).toMatch(/outside the model's folder/);
  });

  it('refuses an absolute file: URL elsewhere', async () => {
    await rejectsWith(loadFromDisk(pathToFileURL(join(dir, '..', 'outside.bin')).href), 'E_UNSAFE_MODEL_PATH');
  });

  it('loads shards in the folder', async () => {
    expect((await loadFromDisk('group1-shard2of3.bin')).bytes).toBe(model.totalBytes);
  });
});
