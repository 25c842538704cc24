import { RuntimeError } from '../../shared/errors.js';
import { METADATA_KEY, MODEL_FORMAT_VERSION } from '../../shared/model-metadata.js';

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** E_WRONG_MODEL: `${url} ${found}`, then what a loadable model.json is and how to make one. */
export function wrongModel(url: string, found: string): RuntimeError {
  return new RuntimeError(
    'E_WRONG_MODEL',
    `${url} ${found}; expected the model.json of an Inception V3 converted by \`npx inception-webgpu convert\` ` +
      `(a TF.js graph model with userDefinedMetadata.${METADATA_KEY}, format version ${MODEL_FORMAT_VERSION})`,
  );
}

/** A value from model.json for a message, cut short: a hostile file can put megabytes in one field. */
export function brief(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
