/**
 * Terminal cell widths: East Asian wide characters and emoji take two cells,
 * combining marks and controls none. Enough for chat text (Tencent IM's users
 * write a lot of Chinese); not a full Unicode width table.
 */

const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f5], [0x26fa, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728], [0x274c, 0x274c],
  [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797], [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f],
  [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a], [0x1f200, 0x1f251], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb],
  [0x1f900, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

const ZERO = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;

function inRanges(cp: number): boolean {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Cells one code point takes. */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x7f) return cp >= 0x20 ? 1 : 0;
  if (ZERO.test(ch)) return 0;
  return inRanges(cp) ? 2 : 1;
}

/** Cells a string takes. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** Control characters (newlines, tabs, escapes) as spaces: nothing the user types may move the cursor. */
export function sanitize(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** At most `width` cells of `text`; an ellipsis marks a cut when `ellipsis` is set. */
export function truncate(text: string, width: number, ellipsis = true): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  const room = ellipsis ? width - 1 : width;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch);
    if (w + cw > room) break;
    out += ch;
    w += cw;
  }
  return ellipsis ? `${out}…` : out;
}

/** `text` cut or padded with spaces to exactly `width` cells. */
export function fit(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - textWidth(cut)));
}

/** `text` right-aligned in `width` cells. */
export function fitRight(text: string, width: number): string {
  const cut = truncate(text, width);
  return ' '.repeat(Math.max(0, width - textWidth(cut))) + cut;
}

/**
 * Word-wraps `text` to lines of at most `width` cells; a word longer than a
 * line is split. Always at least one line.
 */
export function wrap(text: string, width: number): string[] {
  if (width <= 0) return [''];
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  const push = (): void => {
    lines.push(line.trimEnd());
    line = '';
    lineWidth = 0;
  };
  for (const word of text.split(/(\s+)/)) {
    if (word.length === 0) continue;
    const ww = textWidth(word);
    if (/^\s+$/.test(word)) {
      if (lineWidth > 0 && lineWidth + 1 <= width) {
        line += ' ';
        lineWidth += 1;
      }
      continue;
    }
    if (lineWidth + ww <= width) {
      line += word;
      lineWidth += ww;
      continue;
    }
    if (lineWidth > 0) push();
    for (const ch of word) {
      const cw = charWidth(ch);
      if (lineWidth + cw > width) push();
      line += ch;
      lineWidth += cw;
    }
  }
  if (lineWidth > 0 || lines.length === 0) push();
  return lines;
}
