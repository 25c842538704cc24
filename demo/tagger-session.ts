import { createTagger, loadTagger, type Classifier, type Tagger, type TrainOptions, type TrainProgress } from '../src/index.js';
import type { Engine } from './engine.js';

/** How the current head relates to the examples. */
export interface TrainingState {
  /** The last epoch's figures of the training that made the head; undefined for a loaded tagger or none. */
  readonly last: TrainProgress | undefined;
  /** Examples were added to a trained tag since: the head still works but has not learnt from them. */
  readonly stale: boolean;
}

/**
 * The page's one tagger. It follows the engine's classifier: a backend switch loads a new one (same
 * weights), and the tagger moves over through its JSON. Every change runs in the engine's queue, so
 * teaching never races a photo being tagged, nor one change another; `changed` runs after each.
 */
export class TaggerSession {
  private current: Tagger | undefined;
  private boundTo: Classifier | undefined;
  private state: TrainingState = { last: undefined, stale: false };

  constructor(
    private readonly engine: Engine,
    private readonly changed: () => void,
  ) {}

  /** For synchronous reads (labels, counts, predictEmbeddings); undefined until first taught or loaded. */
  get tagger(): Tagger | undefined {
    return this.current;
  }

  get training(): TrainingState {
    return this.state;
  }

  /** Adds the photos, each with a mirrored copy and two crops, as examples of `label`; resolves to the examples added. */
  async add(images: readonly ImageBitmap[], label: string): Promise<number> {
    const added = await this.engine.use((classifier) => this.on(classifier).add(images, label, { augment: true }));
    this.state = { ...this.state, stale: this.current?.trained === true };
    this.changed();
    return added;
  }

  async remove(label: string): Promise<void> {
    await this.engine.use(async (classifier) => this.on(classifier).remove(label));
    this.changed();
  }

  async train(options: TrainOptions): Promise<TrainProgress> {
    const last = await this.engine.use((classifier) => this.on(classifier).train(options));
    this.state = { last, stale: false };
    this.changed();
    return last;
  }

  /** Swaps in the tagger `load` builds on the current classifier (a saved or uploaded one); on failure the old one stays. */
  async replace(load: (classifier: Classifier) => Promise<Tagger>): Promise<Tagger> {
    const tagger = await this.engine.use(async (classifier) => {
      this.current = await load(classifier);
      this.boundTo = classifier;
      return this.current;
    });
    this.state = { last: undefined, stale: false };
    this.changed();
    return tagger;
  }

  /** The tagger, created on first use or moved onto `classifier` after a backend switch. */
  private on(classifier: Classifier): Tagger {
    if (!this.current) this.current = createTagger(classifier);
    else if (this.boundTo !== classifier) this.current = loadTagger(classifier, this.current.toJSON());
    this.boundTo = classifier;
    return this.current;
  }
}
