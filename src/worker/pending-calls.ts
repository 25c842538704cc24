import type { LoadProgress } from '../options.js';
import type { Reply } from './protocol.js';
import { fromWireError } from './wire-error.js';

export type ResultReply = Extract<Reply, { type: 'result' }>;

interface PendingCall {
  readonly resolve: (reply: ResultReply) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress: ((progress: LoadProgress) => void) | undefined;
}

/** Requests posted to the worker and not yet answered, by id; each reply settles its own call. */
export class PendingCalls {
  private nextId = 1;
  private readonly calls = new Map<number, PendingCall>();

  get size(): number {
    return this.calls.size;
  }

  /** Registers a call; returns the id to send with it and the promise its reply settles. */
  add(onProgress?: (progress: LoadProgress) => void): { id: number; reply: Promise<ResultReply> } {
    const id = this.nextId++;
    const reply = new Promise<ResultReply>((resolve, reject) => this.calls.set(id, { resolve, reject, onProgress }));
    return { id, reply };
  }

  /** Routes a reply to its call; replies to calls no longer pending (rejected by a close) are dropped. */
  deliver(reply: Reply): void {
    const call = this.calls.get(reply.id);
    if (!call) return;
    if (reply.type === 'progress') return call.onProgress?.(reply.progress);
    this.calls.delete(reply.id);
    if (reply.type === 'result') call.resolve(reply);
    else call.reject(fromWireError(reply.error));
  }

  /** Rejects one call that never reached the worker. */
  reject(id: number, error: Error): void {
    this.calls.get(id)?.reject(error);
    this.calls.delete(id);
  }

  rejectAll(error: Error): void {
    for (const call of this.calls.values()) call.reject(error);
    this.calls.clear();
  }
}
