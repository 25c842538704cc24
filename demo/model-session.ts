import { isInceptionError, type BackendPreference } from '../src/index.js';
import { backendName } from './backend-description.js';
import type { BackendView } from './backend-view.js';
import { errorMessage } from './dom.js';
import type { Engine } from './engine.js';
import type { LoadProgressView } from './load-progress-view.js';
import { isSyntheticModel, showModelError, showSyntheticBanner } from './model-banners.js';
import { rememberModel } from './model-url.js';

/** Errors about the model itself; anything else (no such backend) leaves the model usable on another. */
const MODEL_ERRORS = new Set(['E_MODEL_NOT_FOUND', 'E_NETWORK', 'E_INTEGRITY', 'E_WRONG_MODEL']);

/** Loads the model, then reloads it whenever the backend switcher changes (from cache, so quickly). */
export class ModelSession {
  private preference: BackendPreference;

  constructor(
    private readonly engine: Engine,
    private readonly modelUrl: string,
    preference: BackendPreference,
    private readonly progress: LoadProgressView,
    private readonly backends: BackendView,
  ) {
    this.preference = preference;
  }

  /** Loads on `preference`; on failure the classifier already running (if any) stays. */
  async load(preference: BackendPreference): Promise<void> {
    this.backends.busy = true;
    this.progress.start(this.modelUrl, preference);
    try {
      const classifier = await this.engine.load(this.modelUrl, preference, this.progress.update);
      this.preference = preference;
      this.progress.done(classifier);
      this.backends.show(classifier, preference);
      if (isSyntheticModel(classifier.metadata)) showSyntheticBanner();
      rememberModel(this.modelUrl);
      keepInAddress('backend', preference);
    } catch (error) {
      this.failed(error, preference);
    } finally {
      this.backends.busy = false;
    }
  }

  private failed(error: unknown, preference: BackendPreference): void {
    const message = errorMessage(error);
    const classifier = this.engine.classifier;
    this.backends.failed(`Could not start ${preference}: ${message}`, classifier && { classifier, preference: this.preference });
    if (classifier) return this.progress.failed(`Could not switch to ${preference}; the model is still loaded on ${backendName(classifier.backend)}.`);
    this.progress.failed(`The model could not be loaded: ${message}`);
    if (isInceptionError(error) && MODEL_ERRORS.has(error.code)) showModelError(this.modelUrl, message);
  }
}

/** Puts the choice in the address, so a reload (or a shared link) keeps it. */
function keepInAddress(name: string, value: string): void {
  const url = new URL(location.href);
  if (value === 'auto') url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  history.replaceState(null, '', url);
}
