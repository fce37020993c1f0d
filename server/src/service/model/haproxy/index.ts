/**
 * The HAProxy config model: proxies with their defaults chain, parsed server lines, references.
 * node.ts holds the objects and the facts of the HAProxy manual they follow; each other file one
 * kind of question asked of them.
 */
export * from './node';
export * from './words';
export * from './servers';
export * from './facts';
export * from './effective';
export * from './names';
export * from './conditions';
export * from './references';
export * from './build';
export * from './mode-offenders';
