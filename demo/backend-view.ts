import type { BackendPreference, Classifier } from '../src/index.js';
import { describeBackend } from './backend-description.js';
import { byId } from './dom.js';

const PREFERENCES: readonly string[] = ['auto', 'webgpu', 'webgl', 'wasm'];

/** The backend the page starts on: `?backend=` when valid, else auto. */
export function initialPreference(search: URLSearchParams): BackendPreference {
  const asked = search.get('backend') ?? 'auto';
  return (PREFERENCES.includes(asked) ? asked : 'auto') as BackendPreference;
}

/** The indicator (which backend runs, and why) and the switcher. */
export class BackendView {
  private readonly indicator = byId('backend');
  private readonly select = byId<HTMLSelectElement>('backend-select');

  constructor(preference: BackendPreference, onSwitch: (preference: BackendPreference) => void) {
    this.select.value = preference;
    this.select.addEventListener('change', () => onSwitch(this.select.value as BackendPreference));
  }

  set busy(busy: boolean) {
    this.select.disabled = busy;
    this.indicator.setAttribute('aria-busy', String(busy));
  }

  show(classifier: Classifier, preference: BackendPreference): void {
    this.render(describeBackend(classifier.backendReport, preference, globalThis.crossOriginIsolated), classifier, preference);
    this.indicator.classList.remove('backend-error');
  }

  /** A load or switch that failed: `message` says why; the indicator adds what (if anything) still runs. */
  failed(message: string, running: { classifier: Classifier; preference: BackendPreference } | undefined): void {
    const still = running ? describeBackend(running.classifier.backendReport, running.preference, globalThis.crossOriginIsolated) : 'Backend: none running.';
    this.render(`${still} ${message}`, running?.classifier, running?.preference);
    this.indicator.classList.add('backend-error');
  }

  private render(text: string, classifier: Classifier | undefined, preference: BackendPreference | undefined): void {
    this.indicator.textContent = text;
    if (classifier) this.indicator.dataset.backend = classifier.backend;
    else delete this.indicator.dataset.backend;
    if (preference) this.select.value = preference;
  }
}
