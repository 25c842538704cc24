import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { createTagger, decodeImage, loadClassifier, TAGGER_DEFAULTS, TaggerError, TRAIN_DEFAULTS, type Tagger, type TrainProgress } from '../src/node/index.js';
import { UsageError } from './cli-errors.js';
import { IMAGE_OPTIONS, IMAGE_OPTIONS_HELP, imageCommandArgs } from './image-args.js';
import { BATCH_SIZE } from './image-batch.js';
import { readTagFolders } from './tag-folders.js';

export const TRAIN_HELP = `Usage:
  inception-webgpu train <folder> --model <dir|model.json> --out <tagger.json> [options]

Teaches custom tags from example photos, for 'classify --tagger' and the SDK's loadTagger().
<folder> holds one subfolder per tag, named for the tag, with that tag's JPEG, PNG or WebP
photos (other files are skipped).

--out <file>           Where to write the tagger (JSON). Required.
--mode <mode>          linear (default): also train a softmax head on the embeddings (needs
                       two tags or more). knn: keep the examples only; the ${TAGGER_DEFAULTS.k} nearest vote.
--epochs <n>           Passes over the examples when training (default ${TRAIN_DEFAULTS.epochs}).
--augment              Also learn from each photo mirrored and from two random crops of it
                       (4× the examples, 4× the time).
${IMAGE_OPTIONS_HELP.slice(IMAGE_OPTIONS_HELP.indexOf('--model'))}
-h, --help             Show this help.
`;

const MODES = new Set(['linear', 'knn']);

function parseTrainArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: IMAGE_OPTIONS.model,
      backend: IMAGE_OPTIONS.backend,
      preprocess: IMAGE_OPTIONS.preprocess,
      out: { type: 'string' },
      mode: { type: 'string', default: 'linear' },
      epochs: { type: 'string', default: String(TRAIN_DEFAULTS.epochs) },
      augment: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('train needs exactly one folder, holding one subfolder of photos per tag');
  if (!values.out) throw new UsageError('train needs --out <tagger.json>');
  if (!MODES.has(values.mode)) throw new UsageError(`--mode must be linear or knn, got '${values.mode}'`);
  const epochs = Number(values.epochs);
  if (!Number.isInteger(epochs) || epochs < 1) throw new UsageError(`--epochs must be a positive integer, got '${values.epochs}'`);
  const { load } = imageCommandArgs('train', { ...values, json: false }, positionals);
  return { folder: positionals[0] as string, out: values.out, linear: values.mode === 'linear', epochs, augment: values.augment, load };
}

/** Decodes and adds a tag's photos BATCH_SIZE at a time, so a big folder never sits in memory whole. */
async function addPhotos(tagger: Tagger, label: string, files: readonly string[], augment: boolean): Promise<number> {
  let added = 0;
  for (let start = 0; start < files.length; start += BATCH_SIZE) {
    const images = await Promise.all(files.slice(start, start + BATCH_SIZE).map((file) => decodeImage(file)));
    try {
      // A seed per batch, so the crops of the nth photo of each batch differ.
      added += await tagger.add(images, label, { augment: augment && { seed: start } });
    } finally {
      tf.dispose(images);
    }
  }
  return added;
}

/** About five progress lines whatever the epoch count, and always the last. */
function progressReporter(stderr: NodeJS.WritableStream): (progress: TrainProgress) => void {
  return ({ epoch, epochs, loss, accuracy }) => {
    if (epoch % Math.max(1, Math.round(epochs / 5)) !== 0 && epoch !== epochs) return;
    stderr.write(`epoch ${epoch}/${epochs}: loss ${loss.toFixed(4)}, accuracy ${(accuracy * 100).toFixed(1)}%\n`);
  };
}

export async function runTrain(argv: string[], stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  const args = parseTrainArgs(argv);
  const tags = await readTagFolders(args.folder);
  if (args.linear && tags.length < 2) {
    throw new TaggerError('E_NEED_TWO_CLASSES', `--mode linear needs two tags or more to tell apart, but '${args.folder}' only has '${tags[0]?.label}'; add a subfolder for another tag, or use --mode knn`);
  }
  const classifier = await loadClassifier(args.load);
  try {
    const tagger = createTagger(classifier);
    for (const { label, files } of tags) {
      const added = await addPhotos(tagger, label, files, args.augment);
      stderr.write(`${label}: ${files.length} photo(s), ${added} example(s)\n`);
    }
    const trained = args.linear ? await tagger.train({ epochs: args.epochs, onProgress: progressReporter(stderr) }) : undefined;
    await writeFile(args.out, JSON.stringify(tagger));
    const head = trained ? `, linear head at ${(trained.accuracy * 100).toFixed(1)}% training accuracy` : ' (kNN)';
    stdout.write(`wrote ${args.out}: ${tagger.labels.length} tags, ${Object.values(tagger.counts).reduce((a, b) => a + b, 0)} examples${head}\n`);
    return 0;
  } finally {
    classifier.dispose();
  }
}
