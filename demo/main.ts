// The demo page: wires the SDK (in a worker) to drop-in photos, the results grid and the tools.
import { announce } from './announcer.js';
import { backendName } from './backend-description.js';
import { BackendView, initialPreference } from './backend-view.js';
import { BatchStatus, batchSummary } from './batch-status.js';
import { byId } from './dom.js';
import { Engine, MAX_PIXELS } from './engine.js';
import { saveText, tagsToCsv, tagsToJson } from './export-tags.js';
import { FindSimilar } from './find-similar.js';
import type { IncomingFile } from './folder-walk.js';
import { GridTags } from './grid-tags.js';
import { LoadProgressView } from './load-progress-view.js';
import { showMissingModel } from './model-banners.js';
import { ModelSession } from './model-session.js';
import { chooseModelUrl } from './model-url.js';
import { keepAvailableOffline } from './offline.js';
import { PhotoCard } from './photo-card.js';
import { rejectBeforeDecoding } from './photo-check.js';
import { acceptPhotos } from './photo-intake.js';
import type { PhotoRecord } from './photo-record.js';
import { ResultsReveal } from './reveal-results.js';
import { TagFilter } from './tag-filter.js';
import { TaggerSession } from './tagger-session.js';
import { TaggerStoreView } from './tagger-store-view.js';
import { TaggingQueue } from './tagging-queue.js';
import { TeachNotice } from './teach-notice.js';
import { TeachPanel } from './teach-panel.js';
import { TrainView } from './train-view.js';
import { Webcam } from './webcam.js';

const search = new URLSearchParams(location.search);
const engine = new Engine();
const records: PhotoRecord[] = [];
const grid = byId('grid');
const batchStatus = new BatchStatus(() => queue.cancel());
const reveal = new ResultsReveal();
const filter = new TagFilter(() => records);
const similar = new FindSimilar(engine, () => records);
const tagger = new TaggerSession(engine, taggerChanged);
const gridTags = new GridTags(engine, () => tagger.tagger, (record) => filter.add(record));
const notice = new TeachNotice();
const teachViews = [new TeachPanel(tagger, notice), new TrainView(tagger, notice), new TaggerStoreView(tagger, notice)];

/** Taught, trained, removed or loaded: the panel shows it, and every card gets the tags of the new tagger. */
function taggerChanged(): void {
  for (const view of teachViews) view.render();
  void gridTags.tagAll(records);
}

function showResult(record: PhotoRecord): void {
  if (record.status === 'done' && record.predictions) {
    record.card.showTags(record.predictions, record.ms ?? 0, record.backend ? backendName(record.backend) : '');
    filter.add(record);
    gridTags.tagNew(record);
  } else if (record.status === 'cancelled') {
    record.card.showCancelled();
  } else {
    record.card.showError(record.error ?? 'Unknown error');
  }
  batchStatus.showTiming(records);
}

const queue = new TaggingQueue(engine, {
  progress: (batch) => batchStatus.progress(batch),
  settled: (record, batch) => {
    showResult(record);
    reveal.settled(record);
    batchStatus.progress(batch);
    // Cancelled photos settle all at once; the batch's summary says how many.
    if (record.status === 'cancelled') return;
    const top = record.predictions?.[0];
    announce(`${batch.settled} of ${batch.total}: ${record.name}, ${top ? top.label : `error: ${record.error ?? ''}`}`);
  },
  finished: (batch) => {
    batchStatus.finished(batch);
    announce(batchSummary(batch));
    for (const id of ['export-json', 'export-csv']) byId<HTMLButtonElement>(id).disabled = false;
  },
});

function createRecord({ file, path }: IncomingFile): PhotoRecord {
  const record: PhotoRecord = {
    file,
    name: path,
    status: 'queued',
    card: new PhotoCard(path, file.name, () => void similar.rank(record)),
  };
  records.push(record);
  return record;
}

/** New cards at once; files that cannot be photos fail here, before any decoding, and still count in the batch. */
async function addPhotos(incoming: IncomingFile[]): Promise<void> {
  const fresh = incoming.map(createRecord);
  grid.append(...fresh.map((r) => r.card.element));
  reveal.dropped(fresh);
  await Promise.all(
    fresh.map(async (record) => {
      const reason = await rejectBeforeDecoding(record.file, MAX_PIXELS);
      if (reason === undefined) return record.card.showThumbnail(record.file);
      record.status = 'error';
      record.error = reason;
      record.card.placeholder('No preview');
      record.card.showError(reason);
    }),
  );
  queue.add(fresh);
}

/** Exports follow drop order (`records`), whatever order "Find similar" left the grid in. */
function wireExports(): void {
  byId('export-json').addEventListener('click', () => saveText('inception-tags.json', tagsToJson(records), 'application/json'));
  byId('export-csv').addEventListener('click', () => saveText('inception-tags.csv', tagsToCsv(records), 'text/csv'));
}

async function start(): Promise<void> {
  keepAvailableOffline();
  acceptPhotos((incoming) => void addPhotos(incoming));
  wireExports();
  new Webcam(engine);
  const preference = initialPreference(search);
  const progress = new LoadProgressView();
  let session: ModelSession | undefined;
  const backends = new BackendView(preference, (next) => void session?.load(next));
  const modelUrl = await chooseModelUrl(search);
  if (modelUrl === undefined) {
    showMissingModel();
    progress.failed('No model to load.');
    backends.failed('No model to run.', undefined);
    return;
  }
  session = new ModelSession(engine, modelUrl, preference, progress, backends);
  await session.load(preference);
}

void start();
