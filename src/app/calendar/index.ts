/** The statutory calendar of a data directory (E5, E7, A4): `chinese-days` plus holiday files. */
export * from './holiday-files.js';
export * from './load.js';
export * from './package-data.js';
