// A Node ESM project importing every entry point by name, as users do.
import * as runtime from 'inception-webgpu';
import * as node from 'inception-webgpu/node';
import * as converter from 'inception-webgpu/converter';

console.log(JSON.stringify({
  runtime: typeof runtime.loadClassifier,
  node: typeof node.loadClassifier,
  converter: typeof converter.convertFile,
}));
