/**
 * tim-rx/angular: a thin adapter in AngularFire's manner. The client is
 * created outside Angular's zone (native callbacks, koffi's keep-alive timer
 * and the SDK's reconnects never make the app unstable nor trigger change
 * detection by themselves), and what the app injects delivers every emission
 * back inside the zone, so views bound to `tim.state.x$` update when a native
 * callback changes the state.
 *
 *   bootstrapApplication(App, { providers: [provideTimClient(() => createTimClient({ sdkAppId }))] });
 *   class InboxService { private readonly tim = inject(Tim); readonly unread$ = this.tim.state.totalUnread$; }
 */
import { DestroyRef, ErrorHandler, InjectionToken, NgZone, inject, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { TimClient } from '../client.js';
import { inZone, runInZone } from '../streams/zone.js';

/**
 * What an Angular app injects: the client, with every Observable it hands
 * out (commands, events, state) delivered inside Angular's zone. Getters
 * (`tim.state.totalUnread`) read the same state.
 */
export interface Tim extends TimClient {}
// A class, so that it can be the injection token itself (like AngularFire's `Auth`).

export abstract class Tim {}

/** The client as created, without zone wrapping (for work that should stay outside the zone). */
export const TIM_CLIENT = new InjectionToken<TimClient>('tim-rx TimClient (outside the Angular zone)');

/**
 * Provides `Tim` (zone-aware) and `TIM_CLIENT` (raw). `factory` runs once,
 * lazily, outside Angular's zone: typically `() => createTimClient({ … })`.
 * The client is disposed when the injector that provides it is destroyed; a
 * disposal that fails goes to Angular's `ErrorHandler` (where there is one).
 */
export function provideTimClient(factory: () => TimClient): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: TIM_CLIENT,
      useFactory: () => {
        const zone = inject(NgZone);
        const errors = inject(ErrorHandler, { optional: true });
        const client = zone.runOutsideAngular(factory);
        inject(DestroyRef).onDestroy(() => zone.runOutsideAngular(() => {
          const disposal = client.dispose();
          // Without an ErrorHandler, a failure stays an unhandled rejection: reported all the same.
          if (errors !== null) disposal.then(undefined, (e: unknown) => errors.handleError(e));
        }));
        return client;
      },
    },
    { provide: Tim, useFactory: () => inZone(inject(TIM_CLIENT), inject(NgZone)) as Tim },
  ]);
}

/** `inject(Tim)`, for symmetry with `injectTimClient`. */
export function injectTim(): Tim {
  return inject(Tim);
}

/** The raw client (outside the zone). */
export function injectTimClient(): TimClient {
  return inject(TIM_CLIENT);
}

/** Operator: deliver inside Angular's zone (default: the injected `NgZone`; call in an injection context). */
export function enterAngularZone<T>(zone: NgZone = inject(NgZone)): MonoTypeOperatorFunction<T> {
  return runInZone<T>(zone);
}
