#!/usr/bin/env node
import { reportError, UsageError } from './cli-errors.js';
import { CLASSIFY_HELP, runClassify } from './classify-command.js';
import { CONVERT_HELP, runConvert } from './convert-command.js';
import { EMBED_HELP, runEmbed } from './embed-command.js';
import { TRAIN_HELP, runTrain } from './train-command.js';

const HELP = `inception-webgpu: Inception V3 (torchvision / timm) for TF.js, in the browser and Node

Commands:
  convert    PyTorch weights → TF.js graph model
  classify   top ImageNet classes (and logits) of JPEG, PNG and WebP images
  embed      2048-d embeddings of images
  train      custom tags from a folder of example photos (for classify --tagger)

Usage:
${[CONVERT_HELP, CLASSIFY_HELP, EMBED_HELP, TRAIN_HELP].flatMap((help) => help.split('\n').filter((line) => line.startsWith('  inception-webgpu '))).join('\n')}

Run 'inception-webgpu <command> --help' for a command's options.
`;

type Command = { help: string; run: (argv: string[]) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  convert: { help: CONVERT_HELP, run: runConvert },
  classify: { help: CLASSIFY_HELP, run: runClassify },
  embed: { help: EMBED_HELP, run: runEmbed },
  train: { help: TRAIN_HELP, run: runTrain },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command '${name}'; expected one of: ${Object.keys(COMMANDS).join(', ')}`);
    if (rest.includes('-h') || rest.includes('--help')) {
      process.stdout.write(command.help);
      return 0;
    }
    return await command.run(rest);
  } catch (error) {
    // parseArgs throws plain TypeErrors with codes like ERR_PARSE_ARGS_UNKNOWN_OPTION.
    const code = (error as { code?: string }).code ?? '';
    return reportError(code.startsWith('ERR_PARSE_ARGS') ? new UsageError((error as Error).message) : error);
  }
}

function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

const exitCode = await main(process.argv.slice(2));
// Dawn (--backend webgpu) keeps the event loop alive after the work is done: exit explicitly,
// once everything written has reached stdout and stderr.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(exitCode);
