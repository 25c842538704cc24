/**
 * Requests and replies between the driver and its child processes travel as single stdout lines
 * behind this marker, so whatever else a library prints (TF.js greets Node users on stdout) is
 * told apart.
 */
export const MARKER = '@@bench ';

export const encodeLine = (message: unknown): string => `${MARKER}${JSON.stringify(message)}\n`;

/** The message on a marked line, or undefined for any other output. */
export function decodeLine(line: string): unknown {
  return line.startsWith(MARKER) ? JSON.parse(line.slice(MARKER.length)) : undefined;
}
