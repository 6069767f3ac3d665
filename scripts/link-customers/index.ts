// The Patchworks entry point: the built file's module.exports is this handler.
import { toPatchworksHandler } from '../../runtime/step.js';
import { step } from './step.js';

export default toPatchworksHandler(step);
