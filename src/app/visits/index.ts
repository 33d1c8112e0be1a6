/** Inspector matching per visit (T6–T8, T10): the use case shared by the HTTP routes and the CLI. */
export { VisitService, matchingOf, matchingSlot, matchingTargetsFrom, MATCHING_PREFIX, type VisitServiceDeps, type VisitWriteResult, type MatchingSource } from './matching.js';
export * from './requests.js';
