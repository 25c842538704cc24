import type { InceptionModelMetadata } from '../src/index.js';
import { byId, h } from './dom.js';

const FIX_COMMAND = 'npm run model';

/** Converted real weights record their checkpoint's SHA-256; the synthetic test model has none. */
export function isSyntheticModel(metadata: InceptionModelMetadata): boolean {
  return !/^[0-9a-f]{64}$/.test(metadata.source.sha256);
}

function show(id: string, ...content: (Node | string)[]): void {
  const banner = byId(id);
  banner.replaceChildren(...content);
  banner.hidden = false;
}

export function showSyntheticBanner(): void {
  show(
    'synthetic-banner',
    h('strong', {}, 'Demo weights: these predictions mean nothing. '),
    'No converted torchvision model was found, so the page runs the project’s synthetic test model (random weights). Run ',
    h('code', {}, FIX_COMMAND),
    ' with internet access to download and convert the real Inception V3 weights, then reload.',
  );
}

export function showMissingModel(): void {
  show(
    'model-error',
    h('strong', {}, 'No model found. '),
    'Run ',
    h('code', {}, FIX_COMMAND),
    ' to convert the torchvision weights into public/models/inception_v3/ (or start the page with ',
    h('code', {}, '?model=<url of a model.json>'),
    '), then reload.',
  );
}

export function showModelError(url: string, message: string): void {
  show('model-error', h('strong', {}, `The model at ${url} could not be loaded. `), message, ' To make a model, run ', h('code', {}, FIX_COMMAND), '.');
}
