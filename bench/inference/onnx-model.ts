/** The ONNX export of the synthetic network for the ONNX Runtime peers, generated on demand. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ROOT } from '../../tools/paths.js';

const REFERENCE = `${ROOT}converter/reference/`;
const SOURCES = ['synthetic_inception.py', 'pixel_model.py', 'export_onnx.py'];
const DIR = `${ROOT}.cache/bench`;
const FILE = `${DIR}/synthetic-inception.onnx`;

/** The Python that has Debian's torch and torchvision. */
export const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

const stamp = (): string => {
  const hash = createHash('sha256');
  for (const source of SOURCES) hash.update(readFileSync(REFERENCE + source));
  return hash.digest('hex');
};

/** Path of the .onnx file, exported by converter/reference/export_onnx.py unless an up-to-date one exists. */
export function onnxModel(): string {
  const stampFile = `${FILE}.stamp`;
  const current = stamp();
  if (existsSync(FILE) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === current) return FILE;
  mkdirSync(DIR, { recursive: true });
  execFileSync(PYTHON, [`${REFERENCE}export_onnx.py`, `${FILE}.tmp`], { stdio: 'inherit' });
  renameSync(`${FILE}.tmp`, FILE);
  writeFileSync(stampFile, current);
  return FILE;
}
