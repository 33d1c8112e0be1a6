/** Visits (一次上门, T5): the merge of dispatched task targets per executing unit and target; matching (T6–T8, T10). */
export * from './merge.js';
export * from './events.js';
export * from './decide.js';
