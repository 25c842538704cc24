import type { Classifier, LoadProgress } from '../src/index.js';
import { byId, megabytes, seconds } from './dom.js';

/** The model-loading bar: MB so far, MB/s, and how much came from the local cache. */
export class LoadProgressView {
  private readonly bar = byId<HTMLProgressElement>('model-progress');
  private readonly status = byId('model-status');
  private started = 0;
  private loaded = 0;
  /** Bytes that came over the network; the rest were cache hits (shards are cached by content). */
  private downloaded = 0;

  start(url: string, backend: string): void {
    this.started = performance.now();
    this.loaded = 0;
    this.downloaded = 0;
    this.bar.hidden = false;
    this.bar.removeAttribute('value');
    this.status.textContent = `Loading the model from ${url} on ${backend}…`;
    delete this.status.dataset.fromCache;
  }

  readonly update = (progress: LoadProgress): void => {
    if (!progress.fromCache) this.downloaded += progress.loadedBytes - this.loaded;
    this.loaded = progress.loadedBytes;
    const total = progress.totalBytes ?? 0;
    if (total > 0) this.bar.max = total;
    this.bar.value = this.loaded;
    const rate = this.downloaded > 0 ? ` · ${megabytes(this.downloaded / this.elapsedSeconds())} MB/s` : '';
    const source = this.downloaded > 0 ? 'Downloading' : 'Reading from cache';
    this.status.textContent = `${source}: ${megabytes(this.loaded)} / ${megabytes(total)} MB${rate}`;
  };

  done(classifier: Classifier): void {
    const { timings } = classifier;
    this.status.textContent = `${this.describeFetch(classifier)}; ready in ${seconds(timings.totalMs)} (warm-up run ${seconds(timings.warmupMs)}).`;
    this.status.dataset.fromCache = String(timings.fromCache);
    this.bar.max = 1;
    this.bar.value = 1;
  }

  failed(message: string): void {
    this.bar.hidden = true;
    this.status.textContent = message;
  }

  private describeFetch({ timings, metadata }: Classifier): string {
    const total = metadata.weights.totalBytes;
    if (timings.fromCache) return `Loaded from cache (${megabytes(total)} MB, nothing downloaded)`;
    const rate = `${megabytes(this.downloaded / (timings.fetchMs / 1000))} MB/s`;
    const cached = total - this.downloaded;
    return `Downloaded ${megabytes(this.downloaded)} MB at ${rate}${cached > 0 ? `, ${megabytes(cached)} MB from cache` : ''}`;
  }

  private elapsedSeconds(): number {
    return Math.max(0.001, (performance.now() - this.started) / 1000);
  }
}
