import type { DownloadOptions } from './download.js';
import { ConverterError } from '../errors.js';

export type OfficialSourceId = 'torchvision' | 'timm';

/** How a downloaded file is verified. */
export type HashSpec =
  | { readonly kind: 'sha256'; readonly sha256: string }
  | { readonly kind: 'sha256-prefix'; readonly prefix: string }
  | { readonly kind: 'from-headers' };

export interface OfficialSource {
  readonly id: OfficialSourceId;
  readonly description: string;
  readonly url: string;
  /** Name in the download cache; distinct per source so both can be cached side by side. */
  readonly fileName: string;
  readonly hash: HashSpec;
}

export const OFFICIAL_SOURCES: Readonly<Record<OfficialSourceId, OfficialSource>> = {
  torchvision: {
    id: 'torchvision',
    description: 'torchvision Inception_V3_Weights.IMAGENET1K_V1 (PyTorch zip checkpoint)',
    url: 'https://download.pytorch.org/models/inception_v3_google-0cc3c7bd.pth',
    fileName: 'inception_v3_google-0cc3c7bd.pth',
    // torch.hub convention: the hex after the last '-' starts the file's SHA-256.
    hash: { kind: 'sha256-prefix', prefix: '0cc3c7bd' },
  },
  timm: {
    id: 'timm',
    description: 'timm inception_v3.tv_in1k (safetensors from the Hugging Face Hub)',
    url: 'https://huggingface.co/timm/inception_v3.tv_in1k/resolve/main/model.safetensors',
    fileName: 'inception_v3.tv_in1k.safetensors',
    // The Hub sends an LFS file's full SHA-256 in X-Linked-Etag on its redirect to the CDN.
    hash: { kind: 'from-headers' },
  },
};

export function isOfficialSourceId(value: string): value is OfficialSourceId {
  return Object.hasOwn(OFFICIAL_SOURCES, value);
}

export function getOfficialSource(id: string): OfficialSource {
  if (!isOfficialSourceId(id)) {
    const known = Object.keys(OFFICIAL_SOURCES).join(', ');
    throw new ConverterError('E_BAD_ARGUMENT', `Unknown weights source "${id}"; expected one of: ${known}.`);
  }
  return OFFICIAL_SOURCES[id];
}

/** The SHA-256 prefix torch.hub encodes in names like `name-0cc3c7bd.pth`, if the name has one. */
export function torchHubHashPrefix(fileName: string): string | undefined {
  return /-([0-9a-f]{8,64})\.[^.\\/]+$/.exec(fileName)?.[1];
}

/** Options for `downloadToCache` that fetch and verify `source`. */
export function officialDownloadOptions(
  source: OfficialSource,
  cacheDir: string,
  extras: Pick<DownloadOptions, 'onProgress' | 'signal'> = {},
): DownloadOptions {
  return { url: source.url, cacheDir, fileName: source.fileName, ...hashOptions(source.hash), ...extras };
}

function hashOptions(hash: HashSpec): Partial<DownloadOptions> {
  switch (hash.kind) {
    case 'sha256':
      return { expectedSha256: hash.sha256 };
    case 'sha256-prefix':
      return { expectedSha256Prefix: hash.prefix };
    case 'from-headers':
      return { hashFromHeaders: true };
  }
}
