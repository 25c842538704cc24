import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import { fakeModel, type FakeModel } from '../../tools/models/fake-model.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A static file server on 127.0.0.1 that records every request, with per-path overrides. */
export interface ModelServer {
  readonly origin: string;
  /** model.json's URL: `${origin}/model/model.json`. */
  readonly modelUrl: string;
  /** Request paths in arrival order. */
  readonly requests: string[];
  /** Path (e.g. '/model/model.json') → body. */
  readonly files: Map<string, Buffer | string>;
  /** Path → custom response, checked before `files`. */
  readonly handlers: Map<string, Handler>;
  /** Serves `model` under /model/. */
  serve(model: FakeModel): void;
  close(): Promise<void>;
}

export async function startModelServer(): Promise<ModelServer> {
  const requests: string[] = [];
  const files = new Map<string, Buffer | string>();
  const handlers = new Map<string, Handler>();
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    const handler = handlers.get(path);
    if (handler) return handler(req, res);
    const body = files.get(path);
    if (body === undefined) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    modelUrl: `${origin}/model/model.json`,
    requests,
    files,
    handlers,
    serve(model) {
      files.set('/model/model.json', JSON.stringify(model.modelJson));
      for (const [name, data] of model.shards) files.set(`/model/${name}`, data);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A server serving a fresh fakeModel() under /model/ for each test, closed after it; read the fields inside tests. */
export function serveFakeModelEachTest(): { server: ModelServer; model: FakeModel } {
  const current = {} as { server: ModelServer; model: FakeModel };
  beforeEach(async () => {
    current.server = await startModelServer();
    current.model = fakeModel();
    current.server.serve(current.model);
  });
  afterEach(() => current.server.close());
  return current;
}
