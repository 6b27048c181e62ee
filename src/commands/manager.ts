import type { Observable } from 'rxjs';
import type { TimBackend } from '../backend/types.js';
import { command, noData } from './command.js';

/** TIMLogin: completes when the server accepted the user; errors with the server's code (70001 expired sig, …). */
export function login(backend: TimBackend, userId: string, userSig: string): Observable<void> {
  return command(backend, 'TIMLogin', [userId, userSig], noData);
}

/** TIMLogout. */
export function logout(backend: TimBackend): Observable<void> {
  return command(backend, 'TIMLogout', [], noData);
}
