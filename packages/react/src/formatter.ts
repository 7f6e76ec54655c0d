import { createFormatter } from '@latch/client';

/**
 * The apps' one formatter (the engine's, by the browser's locale and time zone): every time, date
 * and number on screen goes through it, in both apps.
 */
export const formatter = createFormatter();
