/** The SDK version, sent in the client identification header outside browsers. */
export const VERSION = '0.1.0';
