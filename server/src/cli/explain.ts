/** `wslb explain <rule-id>`: the same long text the hovers show (shared with docs/explain.ts). */
export { explainRule } from '../service/docs/explain';
