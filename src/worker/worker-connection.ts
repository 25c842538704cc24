import { abortError, throwIfAborted } from '../abort.js';
import { RuntimeError } from '../../shared/errors.js';
import { isA } from '../input/image-input.js';
import type { LoadProgress } from '../options.js';
import { PendingCalls, type ResultReply } from './pending-calls.js';
import type { CancelNotice, Reply, Request, Unnumbered } from './protocol.js';

function crashError(event: Event): RuntimeError {
  // A module worker whose script fails to load fires a plain Event, not an ErrorEvent.
  const message = isA<ErrorEvent>(event, 'ErrorEvent') ? event.message : '';
  const detail =
    message ||
    "its script failed to load or threw outside a call; a page with a Content-Security-Policy must allow the worker's script in worker-src (or script-src)";
  return new RuntimeError('E_WORKER', `the classifier worker crashed (${detail}); load a new classifier`);
}

/** A worker running exposeClassifier(): numbered requests out, replies routed back, crashes surfaced. */
export class WorkerConnection {
  private readonly pending = new PendingCalls();
  private closedBy: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent<Reply>) => this.pending.deliver(event.data));
    worker.addEventListener('error', (event) => this.close(crashError(event)));
    worker.addEventListener('messageerror', () => this.close(new RuntimeError('E_WORKER', 'a reply from the classifier worker could not be deserialized; load a new classifier')));
  }

  /** Throws why the connection closed (disposed, crashed), if it did. */
  assertOpen(): void {
    if (this.closedBy) throw this.closedBy;
  }

  /**
   * Posts `message` and waits for its reply. When `signal` fires, the call rejects at once with
   * E_ABORTED and the worker is told, so that a call still queued there never runs.
   */
  async request(message: Unnumbered<Request>, transfer: Transferable[] = [], onProgress?: (progress: LoadProgress) => void, signal?: AbortSignal): Promise<ResultReply> {
    this.assertOpen();
    const what = `${message.type === 'call' ? message.method : message.type}()`;
    throwIfAborted(signal, what);
    const { id, reply } = this.pending.add(onProgress);
    const onAbort = () => {
      this.pending.reject(id, abortError(signal as AbortSignal, what));
      this.worker.postMessage({ type: 'cancel', id } satisfies CancelNotice);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      this.worker.postMessage({ ...message, id }, transfer);
    } catch (error) {
      // DataCloneError: something in the request (an unsupported input, an option) cannot be posted.
      this.pending.reject(id, new RuntimeError('E_INVALID_INPUT', `could not send this to the classifier worker (${String(error)}); inputs must be images, Blobs, URLs or tensors and options plain data`, { cause: error }));
    }
    // A signal shared by many calls (classifyMany's) must not collect one listener per call.
    return reply.finally(() => signal?.removeEventListener('abort', onAbort));
  }

  /** Terminates the worker; pending and later requests reject with `reason`. Idempotent: the first reason stays. */
  close(reason: Error): void {
    if (this.closedBy) return;
    this.closedBy = reason;
    this.worker.terminate();
    this.pending.rejectAll(reason);
  }
}
