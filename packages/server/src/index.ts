export { type Clock, ManualClock } from './clock';
export { type Config, parseConfig } from './config';
export { createLatchServer, type LatchServer, openContext } from './server';
