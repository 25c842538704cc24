import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadTagger, type Prediction, type Tagger, type TagPrediction } from '../src/node/index.js';
import { UsageError } from './cli-errors.js';
import { IMAGE_OPTIONS, IMAGE_OPTIONS_HELP, imageCommandArgs } from './image-args.js';
import { classifyFiles } from './classify-files.js';
import { runImageCommand, type ImageCommand } from './image-batch.js';

export const CLASSIFY_HELP = `Usage:
  inception-webgpu classify <images...> --model <dir|model.json> [options]

Prints the top classes of each image, with the model's labels (ImageNet's, or those given to
'convert --labels'), and with --logits the raw logits.

${IMAGE_OPTIONS_HELP}
--top <n>              How many classes to show per image (default 5).
--logits               Also print the logits, one per class (before softmax).
--tagger <file>        Also rank the custom tags of a tagger made by 'train' (for the same
                       model), up to --top of them.
--json                 Print one JSON array, an entry per file in order:
                         {"file", "top": [{"index", "label", "probability"}],
                          "tags": [{"label", "probability"}], "logits"}
                       ("tags" only with --tagger, "logits" only with --logits), or
                       {"file", "error": {"code", "message"}}.
-h, --help             Show this help.
`;

interface Classified {
  readonly top: Prediction[];
  readonly logits: Float32Array;
  /** With --tagger. */
  readonly tags?: TagPrediction[];
}

function parseTop(value: string): number {
  const top = Number(value);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer, got '${value}'`);
  return top;
}

async function readTaggerFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--tagger: cannot read '${path}' (${error instanceof Error ? error.message : String(error)})`);
  }
}

function formatTags(tags: TagPrediction[]): string {
  return `  tags: ${tags.map((t) => `${t.label} ${(t.probability * 100).toFixed(2)}%`).join(', ')}\n`;
}

function classifyCommand(topK: number, withLogits: boolean, taggerJson: string | undefined): ImageCommand<Classified> {
  // parseTop has validated topK; the classifier fills in the other defaults.
  const options = { topK };
  let tagger: Tagger | undefined;
  return {
    // Once, against the loaded model: a tagger of another model fails the command, not every file.
    prepare: (classifier) => {
      if (taggerJson !== undefined) tagger = loadTagger(classifier, taggerJson);
    },
    // One forward pass per file gives the classes, the logits and the embedding a tagger needs.
    run: classifyFiles({ ...options, embeddings: true }, ({ predictions, logits, embedding }) => ({
      top: predictions,
      logits: logits as Float32Array,
      ...(tagger && { tags: tagger.predictEmbeddings([embedding as Float32Array], { topK })[0] ?? [] }),
    })),
    format: (file, { top, logits, tags }) => {
      const rows = top.map((p) => `  ${String(p.index).padStart(4)}  ${(p.probability * 100).toFixed(2).padStart(6)}%  ${p.label}\n`);
      return `${file}\n${rows.join('')}${tags ? formatTags(tags) : ''}${withLogits ? `  logits: ${Array.from(logits).join(' ')}\n` : ''}`;
    },
    toJson: ({ top, tags, logits }) => ({ top, ...(tags && { tags }), ...(withLogits && { logits: Array.from(logits) }) }),
  };
}

export async function runClassify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...IMAGE_OPTIONS, top: { type: 'string', default: '5' }, logits: { type: 'boolean', default: false }, tagger: { type: 'string' } },
  });
  const topK = parseTop(values.top);
  const args = imageCommandArgs('classify', values, positionals);
  const taggerJson = values.tagger === undefined ? undefined : await readTaggerFile(values.tagger);
  return runImageCommand(args, classifyCommand(topK, values.logits, taggerJson));
}
