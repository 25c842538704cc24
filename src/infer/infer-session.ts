import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { noteBackendTrap } from '../backends/backend-trap.js';
import { recoveryCandidates, resetBackend, watchDeviceLoss } from '../backends/device-loss.js';
import { selectBackend, type BackendReport } from '../backends/select-backend.js';
import { throwIfAborted, untilAborted } from '../abort.js';
import { RuntimeError } from '../../shared/errors.js';
import type { ImageInput } from '../input/image-input.js';
import type { InceptionModelMetadata } from '../../shared/model-metadata.js';
import type { ResolvedLoadOptions } from '../options.js';
import { SerialQueue } from '../serial-queue.js';
import { forwardImages } from './forward-pass.js';
import { uploadModel } from './upload-model.js';

/**
 * A model on a backend, run one call at a time: the infer stage every front door shares (the
 * main-thread classifier directly, the worker classifier and the pool through a worker's one).
 * It owns what a running model needs besides the graph: the call queue, cancellation, and
 * recovery when a GPU device is lost.
 */
export class InferSession {
  private readonly queue = new SerialQueue();
  private disposed = false;
  private deviceLost: string | undefined;

  constructor(
    private model: GraphModel,
    private report: BackendReport,
    /** Kept for re-uploading after a GPU device loss (on WASM and CPU without its weights: see uploadModel). */
    private readonly artifacts: tf.io.ModelArtifacts,
    readonly metadata: InceptionModelMetadata,
    private readonly options: ResolvedLoadOptions,
  ) {
    this.watch();
  }

  get backendReport(): BackendReport {
    return this.report;
  }

  /**
   * Runs the graph on a batch and returns, per requested output, one array per image. An aborted
   * call rejects at once; if it was still queued, it never runs.
   */
  run(images: readonly ImageInput[], outputs: readonly string[], what: string, signal?: AbortSignal): Promise<Float32Array[][]> {
    throwIfAborted(signal, what);
    if (images.length === 0) return Promise.resolve(outputs.map(() => []));
    // One call at a time: bounded memory, and a device-loss recovery never races a forward pass.
    const queued = this.queue.run(async () => {
      this.assertUsable();
      throwIfAborted(signal, what);
      if (this.deviceLost !== undefined) await this.recover();
      // TF.js has one active backend per page: another classifier's load may have switched it.
      if (tf.getBackend() !== this.report.backend) await tf.setBackend(this.report.backend);
      const forward = () => forwardImages({ model: this.model, metadata: this.metadata, options: this.options }, images, outputs, () => throwIfAborted(signal, what));
      try {
        return await forward();
      } catch (error) {
        noteBackendTrap(error, this.report.backend);
        if (this.deviceLost === undefined) throw error;
        await this.recover();
        return forward();
      }
    });
    return untilAborted(queued, signal, what);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }

  private assertUsable(): void {
    if (this.disposed) throw new RuntimeError('E_DISPOSED', 'this classifier was disposed; call loadClassifier() again to get a new one');
  }

  private watch(): void {
    watchDeviceLoss(this.report.backend, (reason) => {
      if (!this.disposed) this.deviceLost = reason;
    });
  }

  /** Re-creates the lost backend (or falls back to the next one) and re-uploads the weights. */
  private async recover(): Promise<void> {
    const lost = this.report.backend;
    try {
      this.model.dispose();
    } catch {
      // The weights lived on the lost device; there is nothing left to free.
    }
    resetBackend(lost);
    try {
      const next = await selectBackend(this.options.backend, this.options, recoveryCandidates(lost, this.options.backend));
      // The conv kernel routing outlives the device (TF.js's kernel registry is per page).
      const { webgpuPlan } = this.report;
      this.report = next.backend === 'webgpu' && webgpuPlan ? { ...next, webgpuPlan } : next;
    } catch (error) {
      throw new RuntimeError('E_DEVICE_LOST', `the ${lost} device was lost (${this.deviceLost}) and no backend could take over`, { cause: error });
    }
    this.deviceLost = undefined;
    this.model = await uploadModel(this.artifacts, this.report.backend, this.options.webgpuKernels);
    this.watch();
  }
}
