import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One JSON example of the spec, as `../shared/spec/examples/spec-vectors.json` stores it. */
export interface SpecVector {
  readonly api: string;
  readonly role: 'param' | 'result' | 'event';
  readonly json: unknown;
}

const path = fileURLToPath(new URL('../../../shared/spec/examples/spec-vectors.json', import.meta.url));

export const specVectors: readonly SpecVector[] = JSON.parse(readFileSync(path, 'utf8'));

/** The vectors of one API and role, with their raw JSON text (as a C callback would deliver it). */
export function vectorsOf(api: string, role: SpecVector['role']): { text: string; json: unknown }[] {
  const found = specVectors.filter((v) => v.api === api && v.role === role).map((v) => ({ json: v.json, text: JSON.stringify(v.json) }));
  if (found.length === 0) throw new Error(`no spec vector for ${api} ${role}`);
  return found;
}
