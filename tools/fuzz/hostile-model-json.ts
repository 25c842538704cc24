import { METADATA_KEY } from '../../shared/model-metadata.js';

/** A model.json as plain JSON, to be edited in place. */
type Json = Record<string, any>;

/**
 * The crafted model.json corpus: each case edits a valid model.json (tools/models/fake-model.ts's,
 * or a converted one) into something the loader must refuse with E_WRONG_MODEL, before TF.js
 * sees it, with a message matching `message`.
 */
export interface HostileModelJson {
  readonly name: string;
  readonly edit: (modelJson: Json) => void;
  readonly message: RegExp;
}

const metadata = (json: Json): Json => json.userDefinedMetadata[METADATA_KEY];
const firstWeight = (json: Json): Json => json.weightsManifest[0].weights[0];
const firstShard = (json: Json): Json => metadata(json).weights.shards[0];

const shardBytes = (bytes: number): HostileModelJson => ({
  name: `shard of ${bytes} bytes`,
  edit: (json) => void (firstShard(json).bytes = bytes),
  message: /bytes of weight shards, more than any model|shards hold/,
});

const weightShape = (shape: unknown[]): HostileModelJson => ({
  name: `weight shape ${JSON.stringify(shape)}`,
  edit: (json) => void (firstWeight(json).shape = shape),
  message: /the shape|bytes of weights/,
});

const weightDtype = (dtype: string): HostileModelJson => ({
  name: `weight dtype ${dtype}`,
  edit: (json) => void (firstWeight(json).dtype = dtype),
  message: /only float32 and int32 weights/,
});

export function hostileModelJsons(): HostileModelJson[] {
  return [
    shardBytes(2 ** 32 + 1),
    shardBytes(2 ** 40),
    shardBytes(2 ** 53 - 1),
    weightShape([100000, 100000, 3, 3]),
    weightShape([-1, 3, 3, 32]),
    weightShape([1]),
    weightShape([1.5, 2]),
    weightShape(['140000']),
    ...['float64', 'string', 'complex64', 'bool', 'evil'].map(weightDtype),
    {
      name: 'uint16 quantisation',
      edit: (json) => void (firstWeight(json).quantization = { dtype: 'uint16', min: 0, scale: 1 }),
      message: /only float16 and uint8 quantization/,
    },
    {
      name: 'uint8 quantisation with a NaN scale',
      edit: (json) => void (firstWeight(json).quantization = { dtype: 'uint8', min: 0, scale: null }),
      message: /scale null; both must be finite/,
    },
    {
      name: 'metadata input of 100000 pixels',
      edit: (json) => void (metadata(json).input.height = 100000),
      message: /input.height 100000; it must be a whole number of pixels from 1 to 1024/,
    },
    {
      name: 'resize and crop of 30000 pixels',
      edit: (json) => {
        metadata(json).preprocessing.resizeShorterSide = 30000;
        metadata(json).preprocessing.cropSize = 30000;
      },
      message: /resizeShorterSide 30000/,
    },
    {
      name: 'crop larger than the input',
      edit: (json) => void (metadata(json).preprocessing.cropSize = 2),
      message: /the crop must fit the resize and equal the input/,
    },
    {
      name: 'an unknown op',
      edit: (json) => void (json.modelTopology.node.at(-1).op = 'EvilOp'),
      message: /op "EvilOp" \(node "y"\), which is not one this SDK writes/,
    },
    {
      name: 'a truncated topology',
      edit: (json) => void json.modelTopology.node.pop(),
      message: /declares output logits "y", but its graph has no such node/,
    },
    {
      name: 'graph functions',
      edit: (json) => void (json.modelTopology.library = { function: [{ signature: { name: 'f' } }] }),
      message: /defines graph functions/,
    },
    {
      name: 'a million labels',
      edit: (json) => void (metadata(json).labels = Array.from({ length: 1_000_001 }, () => 'x')),
      message: /has 1000001 string labels for its \d+ classes/,
    },
    {
      name: 'a 30 MB model.json',
      edit: (json) => void (metadata(json).padding = 'x'.repeat(30e6)),
      message: /characters long, more than a model.json this SDK writes/,
    },
  ];
}
