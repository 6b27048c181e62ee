// zone.js's global `Zone`, for the Angular child processes (loaded by test/angular/dom.ts).
import type {} from 'zone.js';
