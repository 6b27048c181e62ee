// Entry of a worker thread that runs a TypeScript module: tsx's loader is
// registered in this thread first (a worker does not inherit the main thread's).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
