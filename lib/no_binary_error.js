'use strict';
// The error for "no native binary for this platform": what lib/native.js
// throws instead of the generated loader's generic "Cannot find native
// binding" (which blames an npm bug and sends users to the wrong fix).
// It names what was looked for and what still works without it.

const { name, napi } = require('../package.json');

// napi-rs's platform package suffix for a Rust target triple
// (x86_64-unknown-linux-musl -> linux-x64-musl), as in npm/<suffix>/.
const CPU = { x86_64: 'x64', aarch64: 'arm64', i686: 'ia32', armv7: 'arm' };
function suffixOfTriple(triple) {
  const [cpu, ...system] = triple.split('-');
  const arch = CPU[cpu] ?? cpu;
  const sys = system.join('-');
  if (sys === 'apple-darwin') return `darwin-${arch}`;
  if (sys === 'pc-windows-msvc') return `win32-${arch}-msvc`;
  const linux = /^unknown-linux-(gnu|musl)/.exec(sys);
  return linux ? `linux-${arch}-${linux[1]}` : triple;
}

// 'glibc' or 'musl' on Linux (the loader's own test is internal to
// binding.js); null elsewhere. Only runs on this error path.
function linuxLibc() {
  if (process.platform !== 'linux') return null;
  const report = process.report;
  // No socket details (and their reverse DNS look-ups) are needed here;
  // the option exists from Node 22.13 on.
  const hasOption = 'excludeNetwork' in report;
  const excludeNetwork = report.excludeNetwork;
  if (hasOption) report.excludeNetwork = true;
  try {
    return report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
  } finally {
    if (hasOption) report.excludeNetwork = excludeNetwork;
  }
}

// The suffix binding.js looks for on this machine.
function currentSuffix(libc) {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const abi = libc === 'musl' ? 'musl' : 'gnu';
    return `linux-${arch}-${arch === 'arm' ? `${abi}eabihf` : abi}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

// The loader's reason for a binary it found but could not load (wrong libc
// version, corrupt file), from its chain of errors; not "module not found".
function loadFailure(err) {
  for (let e = err; e; e = e.cause) {
    if (typeof e.message === 'string' && !e.message.startsWith('Cannot find')) return e.message;
  }
  return 'unknown reason';
}

function isInstalled(packageName) {
  try {
    require.resolve(`${packageName}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** The Error (code ERR_FAST_ASYNC_HOOKS_NO_BINARY) for a failed load of the native binary. */
function noBinaryError(cause) {
  const libc = linuxLibc();
  const packageName = `${name}-${currentSuffix(libc)}`;
  const published = napi.targets.map(suffixOfTriple);
  const where = `${process.platform} ${process.arch}${libc ? ` (${libc})` : ''}`;
  const problem = isInstalled(packageName)
    ? `the package ${packageName} is installed but its binary did not load (${loadFailure(cause?.cause)})`
    : `the package ${packageName} is not installed` +
      (published.includes(currentSuffix(libc))
        ? ' (it is an optionalDependency: reinstall without --omit=optional / --no-optional, ' +
          'and with a lockfile made on this platform or with all platforms)'
        : `, and none is published for this platform (binaries: ${published.join(', ')})`);
  const err = new Error(
    `${name}: no native binary for ${where}: ${problem}. ` +
    'Without it, AsyncLocalStorage and the rest of the node:async_hooks drop-in, ' +
    `${name}/register and the request kit work (run() takes the portable path on ` +
    'AsyncContextFrame Nodes); trackResources(), the trace preload and CLI, and nativeVersion() need it.');
  err.code = 'ERR_FAST_ASYNC_HOOKS_NO_BINARY';
  err.platform = process.platform;
  err.arch = process.arch;
  err.libc = libc;
  err.packageName = packageName;
  err.cause = cause;
  return err;
}

module.exports = { noBinaryError };
