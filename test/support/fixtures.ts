// A fixture's body, read synchronously for test tables (its provenance is checked as it loads).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureFileSchema } from '../../contracts/fixtures.js';
import { ROOT } from './steps.js';

export function fixtureBody(file: string): unknown {
  return fixtureFileSchema.parse(JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'))).body;
}
