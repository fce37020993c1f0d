// Placeholder entry; the extension client lands with issue 4.
export function activate(): void {}
export function deactivate(): void {}
