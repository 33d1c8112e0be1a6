export { toCloudEvent, cloudEventType, sseFrame, type CloudEvent } from './cloud-event.js';
export { parseFilter, matches, startPosition, type FeedFilter } from './filter.js';
export { ConnectionLimiter } from './connections.js';
