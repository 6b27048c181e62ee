/**
 * The thin terminal layer: raw keys in, screens out, with plain ANSI
 * escapes (alternate screen, no line wrap, changed lines only). Everything
 * that decides what is shown lives in view.ts.
 */
import { emitKeypressEvents } from 'node:readline';
import type { Key } from './model.js';
import type { Line, Screen, Size, Style } from './view.js';

const ESC = '\x1b[';

export interface TerminalIo {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WriteStream;
}

function sgr(style: Style | undefined): string {
  if (style === undefined) return '';
  const codes: number[] = [];
  if (style.bold) codes.push(1);
  if (style.dim) codes.push(2);
  if (style.reverse) codes.push(7);
  if (style.color !== undefined) codes.push({ red: 31, green: 32, yellow: 33, cyan: 36 }[style.color]);
  return codes.length === 0 ? '' : `${ESC}${codes.join(';')}m`;
}

/** One line as ANSI text (the line is already exactly as wide as the terminal). */
export function paintLine(line: Line): string {
  return line.map((s) => {
    const on = sgr(s.style);
    return on.length === 0 ? s.text : `${on}${s.text}${ESC}0m`;
  }).join('');
}

/** The terminal while the chat runs; `close` gives it back as it was. */
export class Terminal {
  private previous: readonly string[] = [];
  private closed = false;
  private readonly onKeypress = (text: string | undefined, key: { name?: string; ctrl?: boolean; meta?: boolean; shift?: boolean; sequence?: string } | undefined): void => {
    this.keyHandler?.({
      name: key?.name,
      text: key?.ctrl || key?.meta ? undefined : text ?? key?.sequence,
      ctrl: key?.ctrl,
      meta: key?.meta,
      shift: key?.shift,
    });
  };
  private readonly onResize = (): void => {
    this.previous = [];
    this.resizeHandler?.();
  };
  private keyHandler: ((key: Key) => void) | undefined;
  private resizeHandler: (() => void) | undefined;

  constructor(private readonly io: TerminalIo) {}

  get size(): Size {
    return { cols: this.io.output.columns || 80, rows: this.io.output.rows || 24 };
  }

  /** Raw mode, alternate screen, no auto-wrap; keys to `onKey`, size changes to `onResize`. */
  open(onKey: (key: Key) => void, onResize: () => void): void {
    this.keyHandler = onKey;
    this.resizeHandler = onResize;
    emitKeypressEvents(this.io.input);
    if (this.io.input.isTTY) this.io.input.setRawMode(true);
    this.io.input.on('keypress', this.onKeypress);
    this.io.input.resume();
    this.io.output.on('resize', this.onResize);
    this.io.output.write(`${ESC}?1049h${ESC}?7l${ESC}2J${ESC}H`);
  }

  /** Paints the lines that changed since the last paint, then places (or hides) the cursor. */
  paint(screen: Screen): void {
    if (this.closed) return;
    let out = `${ESC}?25l`;
    screen.lines.forEach((line, row) => {
      const text = paintLine(line);
      if (this.previous[row] === text) return;
      // The line is exactly as wide as the screen: clear it first (an erase after it would eat its last cell).
      out += `${ESC}${row + 1};1H${ESC}0m${ESC}2K${text}${ESC}0m`;
    });
    for (let row = screen.lines.length; row < this.previous.length; row++) out += `${ESC}${row + 1};1H${ESC}2K`;
    this.previous = screen.lines.map(paintLine);
    if (screen.cursor !== undefined) out += `${ESC}${screen.cursor.row + 1};${screen.cursor.col + 1}H${ESC}?25h`;
    this.io.output.write(out);
  }

  /** Gives the terminal back: main screen, wrapping, cursor, cooked mode; stops reading. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.io.input.off('keypress', this.onKeypress);
    this.io.output.off('resize', this.onResize);
    if (this.io.input.isTTY) this.io.input.setRawMode(false);
    this.io.input.pause();
    this.io.output.write(`${ESC}0m${ESC}?7h${ESC}?25h${ESC}?1049l`);
  }
}
