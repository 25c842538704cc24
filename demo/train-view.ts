import type { Tagger, TrainProgress } from '../src/index.js';
import { announce } from './announcer.js';
import { byId, percent, plural } from './dom.js';
import type { TeachNotice } from './teach-notice.js';
import type { TaggerSession, TrainingState } from './tagger-session.js';

/** Passes over the examples: a few dozen examples converge well within this, in about a second on the CPU backend. */
export const EPOCHS = 50;

const figures = (p: TrainProgress) => `loss ${p.loss.toFixed(3)}, ${percent(p.accuracy)} of the examples right`;

/** Training tells tags apart, so it needs two with examples (the tagger has a tag only once it has some). */
export function canTrain(tagger: Pick<Tagger, 'labels'> | undefined): boolean {
  return (tagger?.labels.length ?? 0) >= 2;
}

/** Beside the disabled Train button: why it is disabled, and what to do. */
function needTwoTags(labels: readonly string[]): string {
  const [only] = labels;
  if (only === undefined) return 'Train needs two tags with photos, and there is none yet: name a tag, give it a few photos, then do the same for another.';
  return `Train needs a second tag: only '${only}' has photos. Teach another (for example 'other', with everyday photos that are not '${only}').`;
}

/** What the training line says between trainings. */
export function trainingSummary(tagger: Pick<Tagger, 'labels' | 'trained'> | undefined, { last, stale }: TrainingState): string {
  if (!canTrain(tagger)) return needTwoTags(tagger?.labels ?? []);
  const count = tagger?.labels.length ?? 0;
  if (!tagger?.trained) return last ? 'The tags changed since training: train again to put them on the photos.' : `Ready to train on ${plural(count, 'tag')}.`;
  if (stale) return 'New examples since training: train again to learn from them.';
  return last ? `Trained for ${plural(last.epochs, 'epoch')}: ${figures(last)}.` : 'Trained (loaded).';
}

/** The Train button, its progress bar (one step per epoch) and the line of figures. */
export class TrainView {
  private readonly button = byId<HTMLButtonElement>('teach-train');
  private readonly bar = byId<HTMLProgressElement>('train-progress');
  private readonly status = byId('train-status');
  private training = false;

  constructor(
    private readonly session: TaggerSession,
    private readonly notice: TeachNotice,
  ) {
    this.button.addEventListener('click', () => void this.train());
    this.render();
  }

  render(): void {
    if (this.training) return;
    const tagger = this.session.tagger;
    this.button.disabled = !canTrain(tagger);
    this.status.textContent = trainingSummary(tagger, this.session.training);
    // The bar stays full under the figures of the training that made the head in use.
    this.bar.hidden = !(tagger?.trained && this.session.training.last);
  }

  private async train(): Promise<void> {
    this.training = true;
    this.button.disabled = true;
    this.notice.info('');
    Object.assign(this.bar, { hidden: false, max: EPOCHS, value: 0 });
    this.status.textContent = 'Training…';
    announce('Training…');
    try {
      const last = await this.session.train({ epochs: EPOCHS, onProgress: (p) => this.progress(p) });
      announce(`Trained: ${figures(last)}. Putting your tags on the photos.`);
    } catch (error) {
      this.notice.fail(error);
    } finally {
      this.training = false;
      this.render();
    }
  }

  private progress(p: TrainProgress): void {
    this.bar.value = p.epoch;
    this.status.textContent = `Epoch ${p.epoch} of ${p.epochs}: ${figures(p)}`;
  }
}
