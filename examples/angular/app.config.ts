import type { ApplicationConfig } from '@angular/core';
import { provideTimClient } from '../../src/angular/index.js';
import { createTimClient } from '../../src/index.js';

/**
 * `bootstrapApplication(InboxComponent, appConfig)`. The factory runs once,
 * outside Angular's zone; `inject(Tim)` then gives the zone-aware client.
 */
export const appConfig: ApplicationConfig = {
  providers: [
    provideTimClient(() => createTimClient({ sdkAppId: 1400000000, emulatorHost: '127.0.0.1:7171' })),
  ],
};
