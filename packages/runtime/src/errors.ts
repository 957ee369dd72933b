/** Shared error helpers for the data readers: every message names the file (and line, when there is one). */

/** Formats `file:line: message`, the shape editors and terminals turn into links. */
export function atLine(file: string, line: number, message: string): Error {
  return new Error(`${file}:${line}: ${message}`);
}

/** The message of an unknown thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
