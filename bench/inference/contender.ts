import type { StackApi, StackOp, StackReply, StackRequest } from './protocol.js';

/** A stack under measurement, driven from the benchmark process wherever it runs. */
export interface Contender {
  /** As shown in the tables, e.g. 'ours: TF.js wasm'. */
  readonly name: string;
  /** Ratios are ours / peer. */
  readonly role: 'ours' | 'peer';
  /**
   * For a peer running our converter's output (LiteRT.js on model.tflite): the largest |Δ| its
   * logits may have against ours, beyond which the scenario fails, since it would time another function.
   */
  readonly parityWithOurs?: number;
  readonly api: StackApi;
  close(): Promise<void>;
}

/** A StackApi whose calls travel as requests; a failed reply throws with the contender's name. */
export function remoteApi(name: string, send: (request: StackRequest) => Promise<StackReply>): StackApi {
  const call = async <T>(op: StackOp, batch?: number): Promise<T> => {
    const reply = await send({ op, ...(batch !== undefined && { batch }) });
    if (!reply.ok) throw new Error(`${name}: '${op}' failed: ${reply.error}`);
    return reply.value as T;
  };
  return {
    info: () => call('info'),
    load: () => call('load'),
    logits: () => call('logits'),
    run: (batch) => call('run', batch),
    peakBackendMB: (batch) => call('peakBackendMB', batch),
    memory: () => call('memory'),
  };
}
