import { isInceptionError } from '../src/index.js';
import { byId, errorMessage, h } from './dom.js';

/** What the panel was doing when an error came, for messages that name the tag and files involved. */
export interface TeachContext {
  /** The tag photos were being added to. */
  readonly label?: string;
  /** "name: why" for each dropped file that was not a usable photo. */
  readonly skipped?: readonly string[];
}

export interface TeachErrorText {
  readonly code: string | undefined;
  readonly text: string;
  /** The SDK's own message, where it adds facts (which model, what is damaged). */
  readonly detail?: string;
}

/**
 * The panel's words for the tagger's typed errors: what went wrong in terms of this page, and what
 * to do. The SDK's messages speak of its API (tagger.add…), so they are kept only as details.
 */
export function teachErrorText(error: unknown, context: TeachContext = {}): TeachErrorText {
  const message = errorMessage(error);
  const code = isInceptionError(error) ? error.code : undefined;
  switch (code) {
    case 'E_EMPTY_CLASS':
      return { code, text: `Nothing was added to '${context.label ?? ''}': none of those files is a photo this page can read.`, detail: context.skipped?.join(' ') ?? message };
    case 'E_TAGGER_MISMATCH':
      return { code, text: 'That tagger was taught on another model than the one running here, so its tags would mean nothing: open the page with the model it was taught on, or teach the tags again.', detail: message };
    case 'E_CORRUPT_TAGGER':
      return { code, text: 'That file is not a tagger this page can read (damaged, or another kind of JSON): choose a file made with "Download JSON".', detail: message };
    default:
      return { code, text: message };
  }
}

/** The panel's status line, and its error line (role=alert, so a screen reader says it at once). */
export class TeachNotice {
  private readonly status = byId('teach-status');
  private readonly error = byId('teach-error');

  /** Work under way or done; clears the last error. */
  info(text: string): void {
    this.error.hidden = true;
    this.status.textContent = text;
  }

  fail(error: unknown, context?: TeachContext): void {
    this.show(teachErrorText(error, context));
  }

  /** A mistake the page itself catches (no tag name, say). */
  problem(text: string): void {
    this.show({ code: undefined, text });
  }

  private show({ code, text, detail }: TeachErrorText): void {
    this.status.textContent = '';
    this.error.replaceChildren(text, ...(detail ? [h('span', { class: 'detail' }, detail)] : []));
    this.error.dataset.code = code ?? '';
    this.error.hidden = false;
  }
}
