import { byId, errorMessage, seconds } from './dom.js';
import type { Engine } from './engine.js';
import { renderTags } from './tag-bars.js';

/** Webcam mode: the live top-3 tags, one frame after another, as fast as the backend allows. */
export class Webcam {
  private readonly panel = byId('webcam');
  private readonly video = byId<HTMLVideoElement>('webcam-video');
  private readonly tags = byId<HTMLOListElement>('webcam-tags');
  private readonly meta = byId('webcam-meta');
  private readonly toggle = byId<HTMLButtonElement>('webcam-toggle');
  private stream: MediaStream | undefined;
  private frames = 0;

  constructor(private readonly engine: Engine) {
    this.toggle.addEventListener('click', () => void (this.stream ? this.stop() : this.start()));
  }

  private async start(): Promise<void> {
    this.panel.hidden = false;
    this.meta.textContent = 'Asking for the camera…';
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    } catch (error) {
      this.meta.textContent = `No camera: ${errorMessage(error)}`;
      return;
    }
    this.video.srcObject = this.stream;
    await this.video.play();
    this.setToggle(true);
    void this.loop(this.stream);
  }

  private stop(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    this.video.srcObject = null;
    this.panel.hidden = true;
    this.setToggle(false);
  }

  private setToggle(on: boolean): void {
    this.toggle.textContent = on ? 'Stop webcam' : 'Start webcam';
    this.toggle.setAttribute('aria-pressed', String(on));
  }

  /** One classify at a time: a frame is taken only when the previous one is done, so nothing piles up. */
  private async loop(stream: MediaStream): Promise<void> {
    while (this.stream === stream) {
      try {
        // play() can resolve before the first frame is decoded (a slow camera, a busy machine).
        if (this.video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) {
          await new Promise((resolve) => this.video.addEventListener('loadeddata', resolve, { once: true }));
          continue;
        }
        const started = performance.now();
        const predictions = await this.engine.use((classifier) => classifier.classify(this.video, { topK: 3 }));
        if (this.stream !== stream) return;
        renderTags(this.tags, predictions);
        this.frames += 1;
        this.tags.dataset.frames = String(this.frames);
        this.meta.textContent = `Live: ${seconds(performance.now() - started)} per frame`;
      } catch (error) {
        this.meta.textContent = `Stopped: ${errorMessage(error)}`;
        return;
      }
    }
  }
}
