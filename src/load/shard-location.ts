import { RuntimeError } from '../../shared/errors.js';
import { brief } from './wrong-model.js';

/**
 * Where a model's shards may come from: model.json's own origin (http/https), or its own folder
 * (file:), or an origin the app listed in `allowedOrigins`. A model file must not make the SDK
 * contact third parties or read local files.
 */
export interface ShardPolicy {
  readonly modelJsonUrl: string;
  readonly allowedOrigins: readonly string[];
}

/** The absolute URL of shard `path` (relative to model.json, as TF.js resolves it), if the policy allows it. */
export function shardUrl(path: string, policy: ShardPolicy): string {
  // '//host/x' and '\\host\x' keep the scheme but leave the host: never what a converter writes.
  if (/^[\\/]{2}/.test(path)) throw unsafePath(path, policy, 'is a protocol-relative URL, which points at another host');
  let url: URL;
  try {
    url = new URL(path, policy.modelJsonUrl);
  } catch (error) {
    throw unsafePath(path, policy, 'is not a valid URL', error);
  }
  checkShardLocation(url, path, policy);
  return url.href;
}

/** Refuses a shard URL (as named, or where a redirect led) that is outside what the policy allows. */
export function checkShardLocation(url: URL, path: string, policy: ShardPolicy, redirected = false): void {
  const base = new URL(policy.modelJsonUrl);
  const refuse = (why: string) => unsafePath(path, policy, redirected ? `was redirected to ${url.href}, which ${why}` : why);
  if (base.protocol === 'file:' || url.protocol === 'file:') {
    if (url.protocol !== base.protocol) {
      throw refuse(url.protocol === 'file:' ? 'reads a local file for a model served over the network' : `leaves the model's folder for ${url.origin}`);
    }
    const folder = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
    if (!url.pathname.startsWith(folder)) throw refuse(`resolves to ${url.pathname}, outside the model's folder ${folder}`);
    return;
  }
  const allowed = policy.allowedOrigins.map((origin) => new URL(origin).origin);
  if (url.origin !== base.origin && !allowed.includes(url.origin)) {
    throw refuse(`is on ${url.origin}, not on model.json's origin ${base.origin}`);
  }
}

function unsafePath(path: string, policy: ShardPolicy, why: string, cause?: unknown): RuntimeError {
  return new RuntimeError(
    'E_UNSAFE_MODEL_PATH',
    `${policy.modelJsonUrl} names weight shard ${brief(path)}, which ${why}; shards must be served next to model.json. ` +
      "If the app hosts them on a CDN, list its origin in the allowedOrigins option (e.g. allowedOrigins: ['https://cdn.example.com'])",
    { cause },
  );
}
