import { describe, expect, it } from 'vitest';
import { findViolations, repositorySources } from '../../tools/boundaries/boundaries.js';

const targets = (path: string, text: string) => findViolations([{ path, text }]).map((v) => v.target);

describe('folder boundaries', () => {
  it('the converter may import shared/ but not the runtime', () => {
    expect(targets('converter/write-model.ts', "import { METADATA_KEY } from '../shared/model-metadata.js';")).toEqual([]);
    expect(targets('converter/readers/x.ts', "import { RuntimeError } from '../../src/errors.js';")).toEqual(['src/errors.ts']);
  });

  it('the runtime may not import the converter or the CLI, dynamically either', () => {
    expect(targets('src/load/x.ts', "const m = await import('../../converter/convert.js');")).toEqual(['converter/convert.ts']);
    expect(targets('src/x.ts', "export { main } from '../cli/main.js';")).toEqual(['cli/main.ts']);
  });

  it('the CLI uses the public entries only', () => {
    const ok = "import { loadClassifier } from '../src/node/index.js';\nimport { convertFile } from '../converter/index.js';";
    expect(targets('cli/x.ts', ok)).toEqual([]);
    expect(targets('cli/x.ts', "import { resolveClassifyOptions } from '../src/options.js';")).toEqual(['src/options.ts']);
    expect(targets('cli/x.ts', "import { convertFile } from '../converter/convert-file.js';")).toEqual(['converter/convert-file.ts']);
  });

  it('bench/ and tools/ do not import test/; the demo only the runtime entry', () => {
    expect(targets('bench/inference/x.ts', "import { ROOT } from '../../test/helpers/paths.js';")).toEqual(['test/helpers/paths.ts']);
    expect(targets('tools/models/x.ts', "import { x } from '../../test/load/fake-model.js';")).toEqual(['test/load/fake-model.ts']);
    expect(targets('demo/x.ts', "import { x } from '../src/options.js';\nimport { y } from '../src/index.js';")).toEqual(['src/options.ts']);
  });

  it('reports the line of each violation', () => {
    const [violation] = findViolations([{ path: 'shared/x.ts', text: "// one\nimport type { A } from '../src/classifier.js';" }]);
    expect(violation).toMatchObject({ file: 'shared/x.ts', line: 2, target: 'src/classifier.ts' });
  });

  it('holds in the repository', () => {
    expect(findViolations(repositorySources())).toEqual([]);
  });
});
