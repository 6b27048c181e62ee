import * as t from 'io-ts';
import { mapped } from './mapped.js';
import { OutgoingMessage } from './message.js';
import { Seconds } from './primitives.js';

/** Draft (B3a): the message being written, free user data and the edit time. */
export const Draft = mapped(
  'Draft',
  t.intersection([
    t.type({ draft_msg: OutgoingMessage }),
    t.partial({ draft_user_define: t.string, draft_edit_time: Seconds }),
  ]),
  (r) => ({ message: r.draft_msg, userDefine: r.draft_user_define ?? '', editTime: r.draft_edit_time ?? 0 }),
  (a) => ({ draft_msg: a.message, draft_user_define: a.userDefine, draft_edit_time: a.editTime }),
);
export type Draft = t.TypeOf<typeof Draft>;
