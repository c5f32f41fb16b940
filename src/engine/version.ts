/** The checker's version: in every report, and part of every verdict cache key. */
export const ENGINE_VERSION = '0.3.0';
