/**
 * Tencent's im_electron_sdk calling style, reproduced with ffi-rs in a child
 * process: every call runs `load({ library, funcName, retType, paramsType,
 * paramsValue })` with the signature rebuilt and an inline `funcConstructor`
 * callback closure. Such a closure becomes an N-API threadsafe function that
 * the wrapper never releases, so each call leaves a uv_async handle on the
 * process's loop; running it in its own process keeps that off the loop of the
 * variants it is compared with (see docs/benchmarks.md). (A worker thread is
 * not an option: terminating one that holds such callbacks segfaults.)
 *
 * ffi-rs 1.3.7 (im_electron_sdk pins 1.0.62, which is not on the registry).
 * user_data is passed as an integer: the wrapper passes a JS string, which the
 * C side would hand back as a dangling pointer.
 *
 * IPC: bench-child.ts (setup: TIMInit + TIMLogin, libtimlocal, raw server).
 */
import { DataType, funcConstructor, load, open } from 'ffi-rs';
import { serveBenchChild, type Run, type Setup } from './bench-child.js';

function setup(m: Setup): Promise<void> {
  open({ library: 'libtimlocal', path: m.library });
  process.env['TIM_EMULATOR_HOST'] = m.host;
  const init = load({
    library: 'libtimlocal', funcName: 'TIMInit', retType: DataType.I32,
    paramsType: [DataType.U64, DataType.String], paramsValue: [1400000001, '{}'],
  }) as number;
  if (init !== 0) return Promise.reject(new Error(`TIMInit ${init}`));
  if (m.userId === null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    load({
      library: 'libtimlocal', funcName: 'TIMLogin', retType: DataType.I32,
      paramsType: [
        DataType.String, DataType.String,
        funcConstructor({ paramsType: [DataType.I32, DataType.String, DataType.String, DataType.I64], retType: DataType.Void }),
        DataType.I64,
      ],
      paramsValue: [m.userId, 'any-sig', (code: number) => (code === 0 ? resolve() : reject(new Error(`login ${code}`))), 0],
    });
  });
}

function call(funcName: Run['funcName'], parse: boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const code = load({
      library: 'libtimlocal',
      funcName,
      retType: DataType.I32,
      paramsType: [
        funcConstructor({
          paramsType: [DataType.I32, DataType.String, DataType.String, DataType.I64],
          retType: DataType.Void,
        }),
        DataType.I64,
      ],
      paramsValue: [
        (...args: unknown[]) => {
          const [c, , json] = args as [number, string, string];
          if (c === 0) resolve(parse ? JSON.parse(json.trim().length > 0 ? json.trim() : '[]') : undefined);
          else reject(new Error(`code ${c}`));
        },
        0,
      ],
    }) as number;
    if (code !== 0) reject(new Error(`TIMResult ${code}`));
  });
}

serveBenchChild({ setup, call: (m) => call(m.funcName, m.parse) });
