/*
 * vscode-languageclient v11 publishes `./node` only through package.json "exports", which the
 * project's `moduleResolution: "node"` does not read (esbuild does). Point the type checker at
 * the same file the bundle uses.
 */
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
