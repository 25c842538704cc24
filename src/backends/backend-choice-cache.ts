import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import { PACKAGE_VERSION } from '../../shared/package-version.js';
import { readJsonEntry, removeEntry, writeJsonEntry } from '../load/cached-model.js';
import type { ModelCache } from '../load/model-cache.js';
import type { BackendName } from '../options.js';
import { deviceFingerprint } from './device-fingerprint.js';
import type { SelfCheckOutcome } from './self-check.js';

/** One candidate's warm inference time as 'auto' measured it. */
export interface BackendMeasurement {
  readonly backend: BackendName;
  /** One warm inference of the probe image, in ms: enough to rank backends, which differ by 1.5× and more. */
  readonly warmMs?: number;
  /** Why it has no time: its self-check failed, or its first run was already 3× slower than the best. */
  readonly abandoned?: string;
}

/** What a load remembers for this device, model and SDK version. */
export interface RememberedChoice {
  /** The backend 'auto' measured as fastest among those that passed the self-check. */
  readonly backend?: BackendName;
  readonly measurements?: readonly BackendMeasurement[];
  /** Self-check outcomes per backend, so a load without warm-up can skip the probe. */
  readonly checks: Partial<Record<BackendName, SelfCheckOutcome>>;
}

export interface ChoiceStore {
  read(): Promise<RememberedChoice | undefined>;
  write(choice: RememberedChoice): Promise<void>;
  forget(): Promise<void>;
}

/** Without a persistent cache (Node, `cache: false`) a choice lasts as long as the page or process. */
const memory = new Map<string, RememberedChoice>();

const isRemembered = (value: unknown): value is RememberedChoice =>
  typeof value === 'object' && value !== null && typeof (value as RememberedChoice).checks === 'object' && (value as RememberedChoice).checks !== null;

/**
 * Where the choice is kept: in the model cache (Cache API or IndexedDB), under a key of the device
 * fingerprint, the model's weight hash and the SDK version, so a new driver, model or SDK
 * measures again. Cache trouble never fails a load: a failed read is a miss.
 */
export async function choiceStore(cache: ModelCache | undefined, metadata: InceptionModelMetadata): Promise<ChoiceStore> {
  const key = `backend-choice:${await deviceFingerprint()}:${metadata.weights.sha256}:${PACKAGE_VERSION}`;
  if (!cache) {
    return {
      read: async () => memory.get(key),
      write: async (choice) => void memory.set(key, choice),
      forget: async () => void memory.delete(key),
    };
  }
  return {
    read: () => readJsonEntry(cache, key, isRemembered),
    write: async (choice) => void (await writeJsonEntry(cache, key, choice)),
    forget: () => removeEntry(cache, key),
  };
}
