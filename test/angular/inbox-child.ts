/**
 * Child process of inbox.test.ts (zone.js patches globals: kept out of
 * mocha's process). An Angular TestBed (JIT, domino DOM, zone.js) renders
 * components over a real client: koffi → libtimlocal → the emulator (in this
 * process); user B runs in a peer process and sends A messages, which reach
 * A through native callbacks. Prints one JSON line with what the DOM showed.
 */
import { sleep, until } from './dom.js';
import { Component, ErrorHandler, NgZone, inject, type Type } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { InboxComponent } from '../../examples/angular/inbox.component.js';
import { TIM_CLIENT, Tim, provideTimClient } from '../../src/angular/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { createTimClient, isTimError, type TimClient } from '../../src/index.js';
import { FakeTimBackend } from '../../src/testing/index.js';
import { scratchDir } from '../support/emulator.js';
import { Peer } from '../support/peer.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';

/** The common pattern that relies on the zone: assign a field in `subscribe` (no async pipe, no markForCheck). */
abstract class Counter {
  count = -1;
  readonly zones: boolean[] = [];
  protected follow(tim: TimClient): void {
    tim.state.totalUnread$.pipe(takeUntilDestroyed()).subscribe((n) => {
      this.count = n;
      this.zones.push(NgZone.isInAngularZone());
    });
  }
}

@Component({ selector: 'raw-counter', template: '<p class="count">{{ count }}</p>' })
class RawCounterComponent extends Counter {
  constructor() {
    super();
    this.follow(inject(TIM_CLIENT));
  }
}

@Component({ selector: 'zoned-counter', template: '<p class="count">{{ count }}</p>' })
class ZonedCounterComponent extends Counter {
  constructor() {
    super();
    this.follow(inject(Tim));
  }
}

const text = (f: ComponentFixture<unknown>, selector: string): string =>
  ((f.nativeElement as HTMLElement).querySelector(selector)?.textContent ?? '').trim();

function render<T>(component: Type<T>): ComponentFixture<T> {
  const fixture = TestBed.createComponent(component);
  fixture.autoDetectChanges();
  return fixture;
}

const dir = scratchDir();
const emulator = await startEmulator({ port: 0, dbPath: `${dir.path}/angular.db`, sdkAppId: SDK_APP_ID, secretKey: SECRET });
let peer: Peer | undefined;
const result: Record<string, unknown> = {};
try {
  TestBed.configureTestingModule({
    providers: [provideTimClient(() => createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address }))],
  });
  const raw = TestBed.inject(TIM_CLIENT);
  peer = await Peer.start();
  await peer.call('create', { sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
  await peer.call('login', 'bob', userSig('bob'));

  // 1. Control, over the raw client: native callbacks change the state, the view is not refreshed.
  const control = render(RawCounterComponent);
  Zone.root.run(() => raw.login('alice', userSig('alice')).subscribe());
  await until(() => raw.state.connection.status === 'connected', 10_000, 'login');
  await peer.call('send', { type: 'c2c', id: 'alice' }, 'one');
  await until(() => raw.state.totalUnread === 1, 10_000, 'unread 1 in the state');
  await sleep(300);
  result['control'] = {
    field: control.componentInstance.count,
    dom: text(control, '.count'),
    zones: [...control.componentInstance.zones],
    domAfterManualDetectChanges: (control.detectChanges(), text(control, '.count')),
  };
  control.destroy();

  // 2. Over `Tim` (zone-aware): the same pattern, and the example component (async pipe), follow by themselves.
  const counter = render(ZonedCounterComponent);
  const inbox = render(InboxComponent);
  const initial = { counter: text(counter, '.count'), status: text(inbox, '.status'), unread: text(inbox, '.unread') };
  await peer.call('send', { type: 'c2c', id: 'alice' }, 'two');
  await until(() => text(counter, '.count') === '2' && text(inbox, '.unread') === '2', 10_000, 'unread 2 in the DOM');
  result['zoned'] = {
    initial,
    counter: text(counter, '.count'),
    unread: text(inbox, '.unread'),
    items: Array.from((inbox.nativeElement as HTMLElement).querySelectorAll('li'), (li) => li.textContent?.trim()),
    zones: [...counter.componentInstance.zones],
    getter: TestBed.inject(Tim).state.totalUnread,
  };
  counter.destroy();
  inbox.destroy();
  let disposed = false;
  raw.state.connection$.subscribe({ complete: () => (disposed = true) });
  TestBed.resetTestingModule(); // destroys the injector: provideTimClient disposes the client
  await until(() => disposed, 5_000, 'dispose with the injector');
  result['disposedWithInjector'] = disposed;

  // 3. A disposal that fails (TIMUninit refused) reaches the app's ErrorHandler.
  const handled: unknown[] = [];
  TestBed.configureTestingModule({
    providers: [
      provideTimClient(() => createTimClient({ sdkAppId: SDK_APP_ID, backend: new FakeTimBackend({ uninitResult: -1 }) })),
      { provide: ErrorHandler, useValue: { handleError: (e: unknown) => handled.push(e) } },
    ],
  });
  TestBed.inject(TIM_CLIENT);
  TestBed.resetTestingModule();
  await until(() => handled.length > 0, 5_000, 'the failed disposal at the ErrorHandler').catch(() => undefined);
  result['disposalFailures'] = handled.map((e) => (isTimError(e) ? `${e.kind} ${e.api} ${e.code}` : String(e)));
} catch (e) {
  result['error'] = e instanceof Error ? e.stack : String(e);
} finally {
  await peer?.stop();
  await emulator.close();
  dir.dispose();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
