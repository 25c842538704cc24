/**
 * Where a kernel's channels sit in a wider NHWC tensor: the channels from `begin` of a tensor
 * with `total` channels. A conv reads its input range from the fused 1×1 conv's output without a
 * Slice, and writes its output into its offset of a Mixed block's concat without a ConcatV2.
 */
export interface ChannelSpan {
  readonly total: number;
  readonly begin: number;
}

/** A tensor of exactly `channels` channels. */
export const wholeSpan = (channels: number): ChannelSpan => ({ total: channels, begin: 0 });

/** Vector width along channels: 4 where every count allows (the span's total and begin too), else scalars. */
export const lanes = (channels: number, span: ChannelSpan = wholeSpan(channels)): 1 | 4 =>
  channels % 4 === 0 && span.total % 4 === 0 && span.begin % 4 === 0 ? 4 : 1;

export const vecType = (width: number, scalar: 'f32' | 'f16' = 'f32'): string => (width === 4 ? `vec4<${scalar}>` : scalar);

/** The span's key part for a shader key (empty for a whole tensor, so plain convs keep their keys). */
export const spanKey = (span: ChannelSpan, channels: number): string => (span.total === channels && span.begin === 0 ? '' : `_c${span.begin}of${span.total}`);
