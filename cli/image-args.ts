import type { BackendPreference, NodeLoadOptions } from '../src/node/index.js';
import { UsageError } from './cli-errors.js';

/** The parseArgs options that `classify` and `embed` share. */
export const IMAGE_OPTIONS = {
  model: { type: 'string' },
  backend: { type: 'string', default: 'wasm' },
  preprocess: { type: 'string', default: 'torchvision' },
  json: { type: 'boolean', default: false },
} as const;

export const IMAGE_OPTIONS_HELP = `<images...>            JPEG, PNG or WebP files. A file that cannot be read or run is reported
                       on stderr (and in --json) and the others are still processed; the
                       exit code is then 1.
--model <dir>          The converted model (see 'convert'): its directory or model.json.
                       Required.
--backend <name>       wasm (default), cpu (slow) or webgpu (Dawn, from the optional npm
                       package 'webgpu'; needs a Vulkan driver, e.g. the software one that
                       scripts/setup-lavapipe.sh sets up).
--preprocess <mode>    torchvision (default): resize the shorter side to 342 and center-crop
                       299, as the weights were trained. none: images must be 299×299 and
                       are fed unchanged.`;

const BACKENDS = new Set(['wasm', 'cpu', 'webgpu']);
const PREPROCESS = new Set(['torchvision', 'none']);

export interface ImageCommandArgs {
  readonly files: readonly string[];
  readonly json: boolean;
  readonly load: NodeLoadOptions;
}

/** Checks what the two commands share and turns it into classifier load options. */
export function imageCommandArgs(
  command: string,
  values: { model?: string | undefined; backend: string; preprocess: string; json: boolean },
  files: readonly string[],
): ImageCommandArgs {
  if (!values.model) throw new UsageError(`${command} needs --model <dir|model.json>`);
  if (files.length === 0) throw new UsageError(`${command} needs at least one image file`);
  if (!BACKENDS.has(values.backend)) throw new UsageError(`--backend must be wasm, cpu or webgpu, got '${values.backend}'`);
  if (!PREPROCESS.has(values.preprocess)) throw new UsageError(`--preprocess must be torchvision or none, got '${values.preprocess}'`);
  const load: NodeLoadOptions = {
    modelUrl: values.model,
    backend: values.backend as BackendPreference,
    preprocess: values.preprocess as 'torchvision' | 'none',
    // Each image runs exactly once, so a warm-up inference would only add one more forward pass.
    warmup: false,
  };
  return { files, json: values.json, load };
}
