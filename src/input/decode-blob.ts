import { RuntimeError } from '../../shared/errors.js';
import { EXACT_PIXELS } from './snapshot-bitmap.js';

/** Decodes like PIL's `Image.open(f).convert('RGB')`; see EXACT_PIXELS. */
export async function decodeBlob(blob: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(blob, EXACT_PIXELS);
  } catch (error) {
    const kind = blob.type || 'unknown type';
    throw new RuntimeError('E_DECODE_FAILED', `could not decode the image (${kind}, ${blob.size} bytes): it is corrupt or not an image format this browser decodes`, { cause: error });
  }
}

export async function fetchImage(url: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new RuntimeError('E_NETWORK', `could not fetch image ${url}: network error or CORS refusal (a cross-origin image needs Access-Control-Allow-Origin)`, { cause: error });
  }
  if (!response.ok) throw new RuntimeError('E_INVALID_INPUT', `could not fetch image ${url}: HTTP ${response.status}`);
  return response.blob();
}
