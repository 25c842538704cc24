#!/usr/bin/env node
import { reportError, UsageError } from './cli-errors.js';
import { CONVERT_HELP, runConvert } from './convert-command.js';

const HELP = `inception-webgpu: Inception V3 (torchvision / timm) for TF.js, in the browser and Node

Commands:
  convert    PyTorch weights → TF.js graph model
${CONVERT_HELP.split('\n').slice(0, 3).join('\n')}

Run 'inception-webgpu <command> --help' for a command's options.
`;

type Command = { help: string; run: (argv: string[]) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  convert: { help: CONVERT_HELP, run: runConvert },
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

process.exitCode = await main(process.argv.slice(2));
