import { expect } from 'chai';
import koffi from 'koffi';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { KoffiBackend } from '../../src/backend/koffi-backend.js';
import { createTimClient, isTimError } from '../../src/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { scratchDir } from '../support/emulator.js';
import { SDK_APP_ID, SECRET, userSig } from '../support/usersig.js';

describe('koffi backend: requests, registrations and disposal (through libtimlocal and the emulator)', function () {
  this.timeout(30_000);
  const dir = scratchDir();
  let emulator: Awaited<ReturnType<typeof startEmulator>>;

  before(async () => {
    emulator = await startEmulator({ port: 0, dbPath: `${dir.path}/backend.db`, sdkAppId: SDK_APP_ID, secretKey: SECRET });
  });
  after(async () => {
    await emulator.close();
    dir.dispose();
  });

  it('drops the late replies of 2000 unsubscribed requests without leaking entries or registrations', async () => {
    const backend = new KoffiBackend();
    const tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address, backend });
    try {
      await lastValueFrom(tim.login('leaky', userSig('leaky')), { defaultValue: undefined });
      const registrations = koffi.stats().callbacks;
      const pendingBefore = backend.pendingRequests; // the client's own requests (e.g. a state resync)
      for (let i = 0; i < 2000; i++) tim.conversations.list().subscribe().unsubscribe();
      expect(backend.pendingRequests).to.equal(pendingBefore);
      // The late replies arrive and are dropped; a new request still gets its own reply.
      const list = await firstValueFrom(tim.conversations.list());
      expect(list).to.be.an('array');
      expect(koffi.stats().callbacks).to.equal(registrations);
      for (let waited = 0; backend.pendingRequests > 0 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      expect(backend.pendingRequests).to.equal(0);
    } finally {
      await lastValueFrom(tim.dispose(), { defaultValue: undefined });
    }
  });

  it("delivers callbacks on the event loop by default with libtimlocal, from the library's thread when asked; both work", async () => {
    for (const callbacks of ['event-loop', 'library-thread'] as const) {
      const backend = new KoffiBackend(callbacks === 'event-loop' ? {} : { callbacks });
      expect(backend.callbackDelivery, 'before init').to.equal('library-thread');
      const tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address, backend });
      try {
        expect(backend.callbackDelivery).to.equal(callbacks);
        await lastValueFrom(tim.login(`delivery-${callbacks}`, userSig(`delivery-${callbacks}`)), { defaultValue: undefined });
        const replies = await Promise.all(Array.from({ length: 50 }, () => firstValueFrom(tim.conversations.list())));
        expect(replies).to.have.length(50);
      } finally {
        await lastValueFrom(tim.dispose(), { defaultValue: undefined });
      }
      expect(backend.callbackDelivery, 'after dispose').to.equal('library-thread');
    }
  });

  it('refuses a second client on the same library until the first is disposed, and works again after', async () => {
    const first = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    expect(() => createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address })).to.throw(/already uses/);
    await lastValueFrom(first.dispose(), { defaultValue: undefined });
    const err = await firstValueFrom(first.conversations.list()).catch((e: unknown) => e);
    expect(err).to.deep.include({ kind: 'disposed' });

    const second = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    try {
      await lastValueFrom(second.login('again', userSig('again')), { defaultValue: undefined });
      expect(await firstValueFrom(second.conversations.list())).to.deep.equal([]);
    } finally {
      await lastValueFrom(second.dispose(), { defaultValue: undefined });
    }
  });

  it('fails a command made before login with 6014 through its callback', async () => {
    const tim = createTimClient({ sdkAppId: SDK_APP_ID, emulatorHost: emulator.address });
    try {
      const err = await firstValueFrom(tim.conversations.list()).catch((e: unknown) => e);
      expect(isTimError(err, 6014), String(err)).to.equal(true);
    } finally {
      await lastValueFrom(tim.dispose(), { defaultValue: undefined });
    }
  });

  it('refuses TIMInit with sdk_app_id 0 synchronously (TIM_ERR_PARAM)', () => {
    let thrown: unknown;
    try {
      createTimClient({ sdkAppId: 0, emulatorHost: emulator.address });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.deep.include({ kind: 'sync', api: 'TIMInit', code: -4 });
  });
});
