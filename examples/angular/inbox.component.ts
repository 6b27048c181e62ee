import { AsyncPipe } from '@angular/common';
import { Component, inject } from '@angular/core';
import { InboxService } from './inbox.service.js';

/** The inbox: connection status, unread badge, conversations (most recent first). */
@Component({
  selector: 'app-inbox',
  imports: [AsyncPipe],
  template: `
    <p class="status">{{ inbox.status$ | async }}</p>
    <p class="unread">{{ inbox.unread$ | async }}</p>
    <ul>
      @for (c of (inbox.conversations$ | async) ?? []; track c.key.type + ':' + c.key.id) {
        <li>{{ c.showName }} ({{ c.unreadCount }})</li>
      }
    </ul>
  `,
})
export class InboxComponent {
  readonly inbox = inject(InboxService);
}
