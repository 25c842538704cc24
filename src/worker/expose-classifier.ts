import type { Classifier } from '../classifier.js';
import { RuntimeError } from '../../shared/errors.js';
import type { ImageInput } from '../input/image-input.js';
import { loadClassifier } from '../load-classifier.js';
import type { LoadProgress } from '../options.js';
import type { CallRequest, CancelNotice, LoadedInfo, Reply, Request, WireImage } from './protocol.js';
import { transferablesOf } from './transferables.js';
import { toWireError } from './wire-error.js';
import { fromWireImage, releaseImages } from './wire-image.js';

/**
 * What exposeClassifier() talks through: a worker's global scope (the default) or a MessagePort.
 * Typed structurally, not with DOM's Transferable and MessageEvent, so it compiles without DOM.
 */
export interface ClassifierEndpoint {
  postMessage(message: Reply, transfer: unknown[]): void;
  addEventListener(type: 'message', listener: (event: { readonly data: Request | CancelNotice }) => void): void;
}

function load(request: Extract<Request, { type: 'load' }>, endpoint: ClassifierEndpoint): Promise<Classifier> {
  const { progress, ...options } = request.options;
  const onProgress = (p: LoadProgress) => endpoint.postMessage({ type: 'progress', id: request.id, progress: p }, []);
  return loadClassifier({ ...options, ...(progress && { onProgress }) });
}

function loadedInfo(classifier: Classifier): LoadedInfo {
  return { backendReport: classifier.backendReport, metadata: classifier.metadata, timings: classifier.timings };
}

function run(classifier: Classifier, request: CallRequest, input: ImageInput | ImageInput[], signal: AbortSignal): Promise<unknown> {
  // Separate branches because each overload takes either one image or an array, not a union.
  switch (request.method) {
    case 'classify': {
      const options = { ...request.options, signal };
      return Array.isArray(input) ? classifier.classify(input, options) : classifier.classify(input, options);
    }
    case 'analyze': {
      const options = { ...request.options, signal };
      return Array.isArray(input) ? classifier.analyze(input, options) : classifier.analyze(input, options);
    }
    case 'logits':
      return Array.isArray(input) ? classifier.logits(input, { signal }) : classifier.logits(input, { signal });
    case 'embed':
      return Array.isArray(input) ? classifier.embed(input, { signal }) : classifier.embed(input, { signal });
    case 'features':
      return classifier.features(input as ImageInput, request.names, { signal });
  }
}

async function call(classifier: Classifier, request: CallRequest, signal: AbortSignal): Promise<unknown> {
  const wire: WireImage | readonly WireImage[] = request.input;
  const input = Array.isArray(wire) ? wire.map(fromWireImage) : fromWireImage(wire as WireImage);
  try {
    return await run(classifier, request, input, signal);
  } finally {
    releaseImages(input);
  }
}

/**
 * Serves the classifier API to the main thread from inside a module worker; the main thread
 * drives it with loadWorkerClassifier({ worker }). The default worker is nothing but this call;
 * write your own worker file when a bundler cannot build the default one:
 *
 * ```ts
 * // classifier.worker.ts
 * import { exposeClassifier } from 'inception-webgpu';
 * exposeClassifier();
 * ```
 *
 * The worker picks its own backend: WebGPU and WebGL (through OffscreenCanvas) work in workers
 * where the browser allows them there. Threaded WASM needs the worker to be cross-origin isolated
 * too: serve the worker script, like the page, with `Cross-Origin-Embedder-Policy: require-corp`
 * (and the page with `Cross-Origin-Opener-Policy: same-origin`); otherwise WASM runs single-threaded.
 */
export function exposeClassifier(endpoint: ClassifierEndpoint = globalThis as unknown as ClassifierEndpoint): void {
  let classifier: Classifier | undefined;
  // One per call in progress, so that a CancelNotice can abort it.
  const inProgress = new Map<number, AbortController>();
  const answer = async (request: Request, signal: AbortSignal): Promise<unknown> => {
    if (request.type === 'load') {
      classifier = await load(request, endpoint);
      return loadedInfo(classifier);
    }
    if (!classifier) throw new RuntimeError('E_WORKER', 'the classifier worker got a call before a load request');
    return call(classifier, request, signal);
  };
  endpoint.addEventListener('message', ({ data: request }) => {
    if (request.type === 'cancel') return inProgress.get(request.id)?.abort();
    const controller = new AbortController();
    inProgress.set(request.id, controller);
    answer(request, controller.signal).finally(() => inProgress.delete(request.id)).then(
      (value) => endpoint.postMessage({ type: 'result', id: request.id, value, ...(classifier && { backendReport: classifier.backendReport }) }, transferablesOf(value)),
      (error: unknown) => endpoint.postMessage({ type: 'error', id: request.id, error: toWireError(error) }, []),
    );
  });
}
