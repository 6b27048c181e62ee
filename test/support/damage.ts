/**
 * Ways a database file gets damaged, for the integrity tests: pages
 * overwritten in the middle, a truncated file, a 0-byte file, text, another
 * application's SQLite database. Each works on a closed database file.
 */
import { closeSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

const PAGE = 4096;

/** Overwrites whole pages with garbage, at these fractions of the file (page 1, the header, is never hit). */
export function corruptPages(path: string, at: readonly number[] = [0.35, 0.5, 0.65]): void {
  const pages = Math.floor(statSync(path).size / PAGE);
  if (pages < 4) throw new Error(`${path} is too small to damage in the middle (${pages} pages)`);
  const fd = openSync(path, 'r+');
  try {
    for (const f of at) writeSync(fd, Buffer.alloc(PAGE, 0xab), 0, PAGE, Math.max(1, Math.floor(pages * f)) * PAGE);
  } finally {
    closeSync(fd);
  }
}

/** Cuts the file to about half its size, mid-page. */
export function truncateHalf(path: string): void {
  truncateSync(path, Math.floor(statSync(path).size / 2 / PAGE) * PAGE + 100);
}

export function emptyFile(path: string): void {
  writeFileSync(path, '');
}

export function textFile(path: string): void {
  writeFileSync(path, 'these are notes, not a database\n'.repeat(200));
}

/** An SQLite database of another application (its own table, no schema version). */
export function foreignDatabase(path: string): void {
  const db = new Database(path);
  db.exec("CREATE TABLE bookmarks (url TEXT PRIMARY KEY, title TEXT); INSERT INTO bookmarks VALUES ('https://example.com', 'x')");
  db.close();
}
