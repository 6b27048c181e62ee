/**
 * An Angular service over tim-rx: what a chat app's inbox binds to.
 * In an app, import from 'tim-rx' and 'tim-rx/angular'; this example imports
 * the sources so that the repository's tests run it as it is.
 */
import { Injectable, inject } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { Tim } from '../../src/angular/index.js';
import type { ConnectionStatus, Conversation, ConversationKey, SendEvent } from '../../src/index.js';

/** How many conversations the inbox shows. */
export const INBOX_PAGE = 50;

@Injectable({ providedIn: 'root' })
export class InboxService {
  /** Zone-aware: every emission below arrives inside Angular's zone, even when a native callback caused it. */
  private readonly tim = inject(Tim);

  readonly status$: Observable<ConnectionStatus> = this.tim.state.connection$.pipe(map((s) => s.status));
  readonly unread$: Observable<number> = this.tim.state.totalUnread$;
  /**
   * The first page of the sorted list: a view renders a page (`slice` costs
   * O(log n + page)), so an event costs the same with 100 or 100k conversations.
   */
  readonly conversations$: Observable<readonly Conversation[]> =
    this.tim.state.conversations$.pipe(map((list) => list.slice(0, INBOX_PAGE)));

  /** The unread total right now (a synchronous getter: no subscription needed). */
  get unread(): number {
    return this.tim.state.totalUnread;
  }

  unreadOf$(key: ConversationKey): Observable<number> {
    return this.tim.state.unread$(key);
  }

  signIn(userId: string, userSig: string): Observable<void> {
    return this.tim.login(userId, userSig);
  }

  send(to: ConversationKey, text: string): Observable<SendEvent> {
    return this.tim.messages.send(to, text);
  }
}
