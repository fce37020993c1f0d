/**
 * Knowledge bases of nginx and HAProxy directives/keywords, and the diagnostics derived from them.
 *
 * Generated data lives in ./generated:
 * - nginx-commands.json: node scripts/gen-nginx-kb.mjs --src <git clone of https://github.com/nginx/nginx>
 * - haproxy-2.6.json:    node scripts/gen-haproxy-kb.mjs (reads Debian's haproxy-doc manual)
 * - haproxy-fetch-places.json: node scripts/gen-haproxy-fetch-places.mjs (where each sample fetch has a
 *   value, from the HAProxy 2.8.0 source in ../shared/src; read by haproxy-fetch-places.ts)
 * Documentation of nginx directives comes from @nginx/reference-lib at run time.
 */
export * from './nginx';
export * from './nginx-facts';
export * from './nginx-build';
export * from './nginx-validate';
export * from './haproxy';
export * from './haproxy-validate';
export { atLeast } from './versions';
export { closestNames, didYouMean, editDistance } from './suggest';
export * from './describe';
