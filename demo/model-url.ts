/** Where `npm run model` puts the real weights, then the synthetic stand-in it makes offline. */
export const MODEL_CANDIDATES = ['models/inception_v3/model.json', 'models/synthetic/model.json'] as const;

const LAST_MODEL_KEY = 'inception-webgpu-demo:last-model';

type ProbeResult = 'found' | 'missing' | 'offline';

async function probe(url: string): Promise<ProbeResult> {
  try {
    const response = await fetch(url, { method: 'HEAD', cache: 'no-store' });
    // A static host's SPA fallback answers 200 with index.html for anything: only JSON counts.
    return response.ok && (response.headers.get('content-type') ?? '').includes('json') ? 'found' : 'missing';
  } catch {
    return 'offline';
  }
}

/**
 * The model.json to load: `?model=<url>` when given, else the first candidate the server has.
 * Offline, the server cannot be asked, so the model loaded last time is used (the SDK serves it
 * from its cache). Undefined when the server has none.
 */
export async function chooseModelUrl(search: URLSearchParams): Promise<string | undefined> {
  const requested = search.get('model');
  if (requested) return requested;
  for (const url of MODEL_CANDIDATES) {
    const result = await probe(url);
    if (result === 'found') return url;
    if (result === 'offline') return localStorage.getItem(LAST_MODEL_KEY) ?? url;
  }
  return undefined;
}

export function rememberModel(url: string): void {
  localStorage.setItem(LAST_MODEL_KEY, url);
}
