import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CONVERT_DEFAULTS,
  convertFile,
  GRAPH_PASS_NAMES,
  defaultCacheDir,
  downloadToCache,
  getOfficialSource,
  officialDownloadOptions,
  torchHubHashPrefix,
  type ConvertOptions,
  type DownloadOptions,
  type ModelFormat,
  type GraphPassName,
  type WeightDType,
} from '../converter/index.js';
import { createProgressBar, type ProgressBar } from './progress-bar.js';
import { UsageError } from './cli-errors.js';

export const CONVERT_HELP = `Usage:
  inception-webgpu convert <weights> --out <dir> [options]
  inception-webgpu convert --from torchvision|timm --out <dir> [options]

Converts PyTorch Inception V3 weights into a TF.js graph model (model.json + weight shards),
or with --format tflite into one model.tflite for LiteRT.js / TFLite.

<weights>              A torchvision .pth (zip or legacy pre-1.6 format), a Hugging Face
                       pytorch_model.bin, or timm's model.safetensors. Pickles are read
                       without executing them.
--from <source>        Download the official weights instead (cached and SHA-256 checked):
                         torchvision  inception_v3_google-0cc3c7bd.pth
                         timm         inception_v3.tv_in1k model.safetensors
--out <dir>            Output directory (required). Written to a temporary folder first and
                       renamed at the end, so a failure leaves nothing behind.
--format <format>      tfjs (default): model.json + shards for this library and TF.js.
                       tflite: one fp32 model.tflite (batch 1, NHWC, input 'pixels' in 0..255,
                       outputs 'logits' and 'embedding') for LiteRT.js or TFLite.
--dtype <type>         float32 (default), float16 (half the size) or uint8 (a quarter);
                       tflite is float32 only.
--shard-mb <n>         Weight shard size in MiB (default ${CONVERT_DEFAULTS.shardMiB}).
--force                Replace --out if it already exists.
--skip-self-check      Store no self-check outputs. By default the converted model is run once
                       on a fixed probe image (about a second) and its outputs are stored, so
                       the runtime can check each backend's answers on the user's device.
--graph-passes <list>  Comma-separated graph rewrites, all exact: ${GRAPH_PASS_NAMES.join(', ')}
                       (default ${CONVERT_DEFAULTS.graphPasses.join(',')}; 'none' for the plain
                       graph, which only stock TF.js loads). fuse-sibling-convs is slower on
                       stock TF.js (see docs/benchmarks.md).
--labels <file|none>   Class names for a fine-tuned head: a text file (one per line), a JSON
                       array, or ImageFolder's class_to_idx JSON ({"label": index}). Default:
                       the checkpoint's own class_to_idx / classes / idx_to_class, else
                       ImageNet's for 1000 classes. 'none' names them 'class 0' ... 'class N-1'.
--normalization <n>    inception (x/127.5 - 1: torchvision's transform_input=True weights) or
                       imagenet ((x/255 - mean)/std with ImageNet's mean/std: nets trained with
                       transform_input=False). Default: the checkpoint's saved transform_input,
                       else inception.
--mean <r,g,b>         With --std, instead of --normalization: the training inputs' per-channel
--std <r,g,b>          mean and std for pixels scaled to [0, 1].
--url <url>            With --from: download from this mirror URL instead.
--sha256 <hex>         With --from: the expected SHA-256 of the downloaded file.
--cache-dir <dir>      Download cache (default $INCEPTION_WEBGPU_CACHE or ~/.cache/inception-webgpu).
-h, --help             Show this help.
`;

const DTYPES = new Set<string>(['float32', 'float16', 'uint8']);
const FORMATS = new Set<string>(['tfjs', 'tflite']);

function parseConvertArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      from: { type: 'string' },
      format: { type: 'string', default: CONVERT_DEFAULTS.format },
      dtype: { type: 'string', default: CONVERT_DEFAULTS.dtype },
      'shard-mb': { type: 'string', default: String(CONVERT_DEFAULTS.shardMiB) },
      force: { type: 'boolean', default: false },
      'skip-self-check': { type: 'boolean', default: false },
      'graph-passes': { type: 'string' },
      url: { type: 'string' },
      sha256: { type: 'string' },
      'cache-dir': { type: 'string' },
      labels: { type: 'string' },
      normalization: { type: 'string' },
      mean: { type: 'string' },
      std: { type: 'string' },
    },
  });
  if (!values.out) throw new UsageError('convert needs --out <dir>');
  if (positionals.length + (values.from ? 1 : 0) !== 1) {
    throw new UsageError('convert needs exactly one weights file, or --from torchvision|timm');
  }
  if (!FORMATS.has(values.format)) throw new UsageError(`--format must be tfjs or tflite, got '${values.format}'`);
  if (!DTYPES.has(values.dtype)) throw new UsageError(`--dtype must be float32, float16 or uint8, got '${values.dtype}'`);
  if (values.format === 'tflite' && values.dtype !== 'float32') throw new UsageError(`--format tflite writes float32 only, got --dtype ${values.dtype}`);
  const shardMiB = Number(values['shard-mb']);
  if (!(shardMiB > 0)) throw new UsageError(`--shard-mb must be a positive number, got '${values['shard-mb']}'`);
  if ((values.url || values.sha256) && !values.from) throw new UsageError('--url and --sha256 only apply with --from');
  return { values, input: positionals[0], shardMiB, model: modelOptions(values) };
}

/** `--graph-passes a,b` as names; the converter rejects unknown ones with E_BAD_ARGUMENT. */
const passList = (text: string): GraphPassName[] => (text === 'none' ? [] : (text.split(',').map((name) => name.trim()) as GraphPassName[]));

const NORMALIZATION_NAMES = new Set<string>(['inception', 'imagenet']);

/** The fine-tuning flags as ConvertOptions; the converter itself checks the values' meaning. */
function modelOptions(values: { labels?: string; normalization?: string; mean?: string; std?: string }): Pick<ConvertOptions, 'labels' | 'normalization' | 'mean' | 'std'> {
  const { labels, normalization, mean, std } = values;
  if (normalization !== undefined && !NORMALIZATION_NAMES.has(normalization)) {
    throw new UsageError(`--normalization must be inception or imagenet, got '${normalization}' (or give --mean r,g,b --std r,g,b)`);
  }
  return {
    ...(labels !== undefined && { labels }),
    ...(normalization !== undefined && { normalization: normalization as 'inception' | 'imagenet' }),
    ...(mean !== undefined && { mean: rgb(mean, '--mean') }),
    ...(std !== undefined && { std: rgb(std, '--std') }),
  };
}

function rgb(text: string, flag: string): [number, number, number] {
  const values = text.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
  if (values.length !== 3 || values.some((v) => !Number.isFinite(v))) {
    throw new UsageError(`${flag} needs three comma-separated numbers r,g,b (e.g. 0.485,0.456,0.406), got '${text}'`);
  }
  return values as [number, number, number];
}

/** The download for `--from`, honouring a mirror `--url` and a pinned `--sha256`. */
function downloadOptions(from: string, cacheDir: string, url: string | undefined, sha256: string | undefined, bar: ProgressBar): DownloadOptions {
  const source = getOfficialSource(from);
  const base = officialDownloadOptions(source, cacheDir, { onProgress: (received) => bar.update(received) });
  if (!url) return sha256 ? { ...base, expectedSha256: sha256, expectedSha256Prefix: undefined, hashFromHeaders: false } : base;
  const fileName = basename(new URL(url).pathname) || source.fileName;
  const prefix = sha256 ? undefined : torchHubHashPrefix(fileName);
  return {
    url,
    cacheDir,
    fileName,
    onProgress: base.onProgress,
    ...(sha256 ? { expectedSha256: sha256 } : prefix ? { expectedSha256Prefix: prefix } : { hashFromHeaders: true }),
  };
}

export async function runConvert(argv: string[], stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, input, shardMiB, model } = parseConvertArgs(argv);
  let weightsPath = input ?? '';
  if (values.from) {
    const bar = createProgressBar({ label: `download ${values.from}` });
    const cacheDir = values['cache-dir'] ?? defaultCacheDir();
    const result = await downloadToCache(downloadOptions(values.from, cacheDir, values.url, values.sha256, bar));
    bar.finish();
    stdout.write(`${result.fromCache ? 'using cached' : 'downloaded'} ${result.path} (sha256 ${result.sha256})\n`);
    weightsPath = result.path;
  }
  const bars: Partial<Record<'hash' | 'write', ProgressBar>> = {};
  const options: ConvertOptions = {
    outDir: values.out as string,
    format: values.format as ModelFormat,
    dtype: values.dtype as WeightDType,
    shardMiB,
    force: values.force,
    selfCheck: !values['skip-self-check'],
    ...(values['graph-passes'] !== undefined && { graphPasses: passList(values['graph-passes']) }),
    ...model,
    onProgress: (stage, done, total) => {
      const bar = (bars[stage] ??= createProgressBar({ label: stage === 'hash' ? 'hash' : 'convert', total }));
      bar.update(done);
      if (done === total) bar.finish();
    },
  };
  const started = performance.now();
  const { metadata, outDir, notes } = await convertFile(weightsPath, options);
  for (const bar of Object.values(bars)) bar.finish();
  for (const note of notes) stdout.write(`${note}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const mb = (metadata.weights.totalBytes / 1e6).toFixed(1);
  const head = metadata.numClasses > 0 ? `${metadata.numClasses} classes` : 'embedding only';
  const { shards } = metadata.weights;
  const files = options.format === 'tflite' ? shards.map((s) => `${outDir}/${s.path}`).join(', ') : `${outDir}/model.json + ${shards.length} shard(s)`;
  stdout.write(`wrote ${files}, ${mb} MB ${metadata.weights.dtype}, ${head}, in ${seconds} s\n`);
  return 0;
}
