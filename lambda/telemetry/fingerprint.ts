/**
 * An error's fingerprint (pure): the same bug gives the same id across patients, page loads and releases. It hashes
 * the normalized message and the top frames by function and file name only: line, column and Vite's content hash
 * (`index-c63af811.js`) change with every build and must not split one bug into many "new" kinds.
 */
import { createHash } from 'node:crypto';

/** Frames beyond the top few are the framework's scheduler, shared by every error. */
export const TOP_FRAMES = 3;

export interface StackFrame {
  readonly fn: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

// V8: "    at fn (https://host/assets/index-abc.js:1:234)" or "    at https://host/assets/index-abc.js:1:234".
const V8_FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?\s*$/;
// Firefox and Safari: "fn@https://host/assets/index-abc.js:1:234".
const GECKO_FRAME = /^\s*(.*?)@(.+?):(\d+):(\d+)\s*$/;

export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const match = V8_FRAME.exec(line) ?? GECKO_FRAME.exec(line);
    if (!match) continue;
    frames.push({
      fn: match[1]?.trim() || '<anonymous>',
      file: fileNameOf(match[2]),
      line: Number(match[3]),
      column: Number(match[4]),
    });
  }
  return frames;
}

/** `https://host/assets/index-c63af811.js` → `index.js`: the build's content hash is not part of the bug. */
export function fileNameOf(location: string): string {
  const base = location.split(/[?#]/, 1)[0].split('/').pop() ?? location;
  return base.replace(/[-.][0-9a-zA-Z_]{8,}(?=\.[a-z]+$)/, '');
}

/** Numbers, quoted values and ids vary per occurrence ("id 123 not found"); the wording does not. */
export function normalizeMessage(message: string): string {
  return message
    .replace(/(["'`]).*?\1/g, (quoted) => (/^["'`][A-Za-z_$][\w$]*["'`]$/.test(quoted) ? quoted : '"…"'))
    .replace(/0x[0-9a-f]+/gi, 'HEX')
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
}

/** 16 hex characters: short enough to read in an alarm, 64 bits so two bugs practically never collide. */
export function fingerprintOf(message: string, stack: string | undefined): string {
  const frames = parseStack(stack ?? '')
    .slice(0, TOP_FRAMES)
    .map((f) => `${f.fn}@${f.file}`);
  return createHash('sha256')
    .update([normalizeMessage(message), ...frames].join('\n'))
    .digest('hex')
    .slice(0, 16);
}
