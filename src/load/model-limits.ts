/**
 * Bounds a model.json must stay within before TF.js sees it. They are far above what the
 * converter writes (Inception V3: 95 MB of weights, 299-pixel input, 1000 classes) and far
 * below what would exhaust memory or trap a kernel, so a hostile file gets a typed error.
 */
export const MODEL_LIMITS = {
  /** model.json itself; the converter's is about 200 KB, most of it labels and graph nodes. */
  modelJsonBytes: 16 * 1024 * 1024,
  /** All weight shards together: float32 Inception V3 is 95 MB. */
  weightBytes: 512 * 1024 * 1024,
  /** Graph nodes: the converter writes about 400. */
  nodes: 10_000,
  /** Input, resize and crop sides in pixels: the converter writes 299 and 342. */
  imageSide: 1024,
  /** Classes and embedding width: the converter writes 1000 and 2048. */
  vectorLength: 1_000_000,
  /** Characters in one label. */
  labelLength: 1000,
} as const;

/**
 * The TF.js ops the converter emits, with the inputs each needs: any other op in a graph means
 * the file was not written by it, and TF.js would otherwise run (or crash on) whatever it names.
 * Pad and AvgPool, which only a graph converted without `reorder-pool-branches` has, stay out:
 * a Pad's sizes are weights, read after this check, so a hostile file could ask for any size.
 */
export const CONVERTER_OPS: ReadonlyMap<string, number> = new Map([
  ['Placeholder', 0],
  ['Const', 0],
  ['_FusedConv2D', 3], // input, filter, bias
  ['Conv2D', 2],
  ['FusedDepthwiseConv2dNative', 3],
  ['MaxPool', 1],
  ['ConcatV2', 2], // at least one tensor, then the axis
  ['Mul', 2],
  ['AddV2', 2],
  ['Mean', 2], // tensor, axes
  ['_FusedMatMul', 3],
  // A channel range of a fused 1×1 conv (the fuse-sibling-convs pass): never larger than its input.
  ['Slice', 3], // input, begin, size
]);
