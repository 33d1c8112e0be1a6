/** Visits (一次上门, T5): the merge of dispatched task targets per executing unit and target. */
export * from './merge.js';
