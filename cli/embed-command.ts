import { parseArgs } from 'node:util';
import { IMAGE_OPTIONS, IMAGE_OPTIONS_HELP, imageCommandArgs } from './image-args.js';
import { batchedFiles, runImageCommand, type ImageCommand } from './image-batch.js';

export const EMBED_HELP = `Usage:
  inception-webgpu embed <images...> --model <dir|model.json> [options]

Prints the 2048-d embedding of each image: the pooled features that feed the final fc layer.

${IMAGE_OPTIONS_HELP}
--json                 Print one JSON array, an entry per file in order:
                         {"file", "embedding": [2048 numbers]}, or {"file", "error": {"code", "message"}}.
                       Without it, a summary per file (size, L2 norm, first values).
-h, --help             Show this help.
`;

/** How many leading values the readable summary shows. */
const PREVIEW = 6;

const embedCommand: ImageCommand<Float32Array> = {
  run: batchedFiles((classifier, images) => classifier.embed(images)),
  format: (file, embedding) => {
    const norm = Math.hypot(...embedding);
    const preview = Array.from(embedding.subarray(0, PREVIEW), (v) => v.toFixed(4)).join(' ');
    return `${file}\n  ${embedding.length}-d, L2 norm ${norm.toFixed(4)}: ${preview} … (--json for all values)\n`;
  },
  toJson: (embedding) => ({ embedding: Array.from(embedding) }),
};

export async function runEmbed(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: IMAGE_OPTIONS });
  return runImageCommand(imageCommandArgs('embed', values, positionals), embedCommand);
}
