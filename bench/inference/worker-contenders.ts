/** Contenders in child processes: our SDK or ORT in Node, PyTorch in Python. */
import { ROOT } from '../../tools/paths.js';
import type { Contender } from './contender.js';
import { PYTHON } from './onnx-model.js';
import { processContender } from './process-contender.js';
import type { StackSpec } from './protocol.js';

const NODE_WORKER = `${ROOT}bench/inference/node-worker.ts`;
const PYTORCH_WORKER = `${ROOT}bench/inference/pytorch_worker.py`;

export interface StackDef {
  readonly name: string;
  readonly role: Contender['role'];
  readonly spec: StackSpec;
  readonly parityWithOurs?: number;
}

/** PyTorch in a Python child process; `args` go to pytorch_worker.py (--device, --threads, --cuda-graph). */
export function pytorchContender(name: string, args: readonly string[], python = PYTHON): Contender {
  return processContender({ name, role: 'peer', command: python, args: [PYTORCH_WORKER, ...args] });
}

/** A stack in a Node child process; `model` is a converted model directory (ours) or an .onnx file (ORT). */
export function nodeContender(stack: StackDef, model: string, env: Readonly<Record<string, string>> = {}): Contender {
  const spec = JSON.stringify({ ...stack.spec, model });
  return processContender({ name: stack.name, role: stack.role, command: process.execPath, args: ['--import', 'tsx', NODE_WORKER, spec], env });
}
