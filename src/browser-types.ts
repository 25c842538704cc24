/**
 * The browser types the public API names, taken from the consumer's own `lib` when it declares
 * them ("DOM"), and otherwise (a Node project with `lib: ["es2022"]`) minimal structural
 * stand-ins. So the package's declarations compile without DOM, and an image parameter never
 * degrades to `any`: `classify(42)` stays a type error everywhere.
 */

/** The instance type of global class `Name` where the consumer's lib has one, else `Fallback`. */
type FromGlobal<Name extends string, Fallback> = typeof globalThis extends Record<Name, { prototype: infer Instance }> ? Instance : Fallback;

interface Sized {
  readonly width: number;
  readonly height: number;
}

export type BrowserImageElement = FromGlobal<'HTMLImageElement', { readonly naturalWidth: number; readonly naturalHeight: number; readonly complete: boolean }>;
export type BrowserCanvasElement = FromGlobal<'HTMLCanvasElement', Sized & { toDataURL(type?: string): string }>;
export type BrowserOffscreenCanvas = FromGlobal<'OffscreenCanvas', Sized & { convertToBlob(): Promise<unknown> }>;
export type BrowserImageBitmap = FromGlobal<'ImageBitmap', Sized & { close(): void }>;
export type BrowserImageData = FromGlobal<'ImageData', Sized & { readonly data: Uint8ClampedArray }>;
export type BrowserVideoElement = FromGlobal<'HTMLVideoElement', { readonly videoWidth: number; readonly videoHeight: number }>;
export type BrowserVideoFrame = FromGlobal<'VideoFrame', { readonly displayWidth: number; readonly displayHeight: number; close(): void }>;
export type BrowserBlob = FromGlobal<'Blob', { readonly size: number; readonly type: string; arrayBuffer(): Promise<ArrayBuffer> }>;
export type BrowserWorker = FromGlobal<'Worker', { postMessage(message: unknown, transfer: unknown[]): void; terminate(): void }>;
