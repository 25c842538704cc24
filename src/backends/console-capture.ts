/** What TF.js logged while `task` ran: it reports why a backend failed only on the console. */
export async function withConsoleCaptured<T>(task: () => Promise<T>): Promise<{ result: T; logged: string[] }> {
  const logged: string[] = [];
  const { warn, error } = console;
  const record = (original: (...args: unknown[]) => void) => (...args: unknown[]) => {
    logged.push(withoutStackFrames(args.map((arg) => (arg instanceof Error ? arg.message : typeof arg === 'object' ? safeJson(arg) : String(arg))).join(' ')));
    original.apply(console, args);
  };
  console.warn = record(warn);
  console.error = record(error);
  try {
    return { result: await task(), logged };
  } finally {
    console.warn = warn;
    console.error = error;
  }
}

function safeJson(value: unknown): string {
  const message = (value as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** TF.js logs errors with their stacks: the frames say nothing to a user and differ by bundle. */
function withoutStackFrames(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s+at\s/.test(line))
    .join('\n')
    .trim();
}
