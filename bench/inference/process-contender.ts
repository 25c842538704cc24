import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { remoteApi, type Contender } from './contender.js';
import { decodeLine, encodeLine } from './line-protocol.js';
import type { StackReply, StackRequest } from './protocol.js';

export interface ProcessOptions {
  readonly name: string;
  readonly role: Contender['role'];
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** Keeps the last lines a child printed, to explain its failures. */
function tail(limit: number): { add(line: string): void; text(): string; last(): string } {
  const lines: string[] = [];
  return {
    add: (line) => void (lines.push(line) > limit && lines.shift()),
    text: () => lines.join('\n'),
    // A Python traceback ends with the exception, the line that says what went wrong.
    last: () => lines.filter((line) => line.trim() !== '').at(-1) ?? '(nothing)',
  };
}

/** A stack served by a child process (node-worker.ts, pytorch_worker.py), one request at a time. */
export function processContender(options: ProcessOptions): Contender {
  const child = spawn(options.command, [...options.args], { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const log = tail(30);
  const waiting: { resolve(reply: StackReply): void; reject(error: Error): void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = decodeLine(line) as StackReply | undefined;
    if (reply) waiting.shift()?.resolve(reply);
    else log.add(line);
  });
  createInterface({ input: child.stderr }).on('line', log.add);
  const exited = new Promise<void>((resolve) => child.on('close', (code) => {
    const error = new Error(`${options.name}: the process exited (${code}) before replying: ${log.last()}\nits output ended:\n${log.text()}`);
    for (const pending of waiting.splice(0)) pending.reject(error);
    resolve();
  }));
  const send = (request: StackRequest): Promise<StackReply> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null) return reject(new Error(`${options.name}: the process is gone: ${log.last()}`));
      waiting.push({ resolve, reject });
      child.stdin.write(encodeLine(request));
    });
  return {
    name: options.name,
    role: options.role,
    api: remoteApi(options.name, send),
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
