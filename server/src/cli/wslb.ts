// Placeholder entry; the real CLI lands with the foundation.
process.stdout.write('wslb: not built yet\n');
