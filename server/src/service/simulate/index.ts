/** Public API of the balancing simulator (pure TypeScript; also bundled into the webview). */
export * from './types';
export type { Balancer, PickResult } from './balancer-types';
export { createBalancer } from './balancer';
export type { BalancerOptions } from './balancer';
export { simulate, benchSimulate, describeAlgorithm } from './engine';
export { Prng, seedFrom } from './prng';
export { crc32, sdbm, djb2, wt6, fullHash, parseIp } from './hashes';
export { AwsBalancer, AWS_ALGORITHMS, AWS_MODEL_LABEL, awsAlgorithmOf } from './aws';
export type { AwsAlgorithm } from './aws';
