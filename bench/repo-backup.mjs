// Repository backup benchmark: how fast `backdrill backup --stdin` stores a realistic, compressible stream into a
// fresh local folder repository (at its default zstd level, 1), compared with `zstd -3 -T1 | sha256sum` (the floor
// the repository issue names: compress + hash, no chunking, no encryption, no writes) and `restic backup --stdin`;
// plus the peak RSS of the backdrill process.
//
//   node bench/repo-backup.mjs                      1 GiB timed (3 runs each, median), peak RSS at 1 GiB and 4 GiB
//   node bench/repo-backup.mjs --quick              256 MiB, 1 run each, RSS at 256 MiB only (smoke test)
//   node bench/repo-backup.mjs --size 2GiB --runs 5 --sizes 1GiB,4GiB,8GiB
//
// Flags: --size S (timed stream), --sizes S,S (peak-RSS sizes), --runs N, --quick, --no-restic, --tmpdir DIR,
// --out FILE (default bench/results/repo-backup.json; --quick: repo-backup-quick.json), --keep (keep temp dir).
//
// It runs the committed bundle (bin/backdrill.js) with the pinned Node 24 (node_modules/node), with the real
// scrypt KDF. Every tool reads the same file (generated once, then in page cache); each run gets a fresh
// repository, so nothing deduplicates. Peak RSS comes from GNU time -v (installed with apt when missing and
// running as root; otherwise VmHWM is polled from /proc). RSS sizes larger than the file are fed on the fly: the
// file over and over, each pass XORed with a different byte (same compressibility, no deduplication).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dumpStream, parseSize } from './gen-dump.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const NODE = join(ROOT, 'node_modules/node/bin/node');
const CLI = join(ROOT, 'bin/backdrill.js');
const MiB = 2 ** 20;
const RSS_LIMIT_MIB = 300;
const ZSTD_TARGET = 1.2;

// ---------------------------------------------------------------------------------------------------- options
function parseArgs(argv) {
  const o = {
    size: null,
    sizes: null,
    runs: null,
    quick: false,
    restic: true,
    tmpdir: tmpdir(),
    out: null,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, null];
    const val = () => {
      if (inline !== null) return inline;
      if (i + 1 >= argv.length) fail(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--size') o.size = parseSize(val());
    else if (flag === '--sizes') o.sizes = val().split(',').filter(Boolean).map(parseSize);
    else if (flag === '--runs') o.runs = Number.parseInt(val(), 10);
    else if (flag === '--quick') o.quick = true;
    else if (flag === '--no-restic') o.restic = false;
    else if (flag === '--tmpdir') o.tmpdir = val();
    else if (flag === '--out') o.out = val();
    else if (flag === '--keep') o.keep = true;
    else if (flag === '-h' || flag === '--help') {
      console.log(
        readFileSync(new URL(import.meta.url), 'utf8')
          .split('\n')
          .slice(0, 16)
          .join('\n'),
      );
      process.exit(0);
    } else fail(`unknown flag ${a} (try --help)`);
  }
  o.size ??= o.quick ? 256 * MiB : 1024 * MiB;
  o.sizes ??= o.quick ? [o.size] : [1024 * MiB, 4096 * MiB];
  o.runs ??= o.quick ? 1 : 3;
  if (!(o.runs >= 1)) fail('--runs must be >= 1');
  o.out ??= join(ROOT, 'bench/results', o.quick ? 'repo-backup-quick.json' : 'repo-backup.json');
  return o;
}

function fail(msg) {
  console.error(`repo-backup: ${msg}`);
  process.exit(2);
}

const fmtSize = (n) => (n >= 2 ** 30 && n % 2 ** 30 === 0 ? `${n / 2 ** 30} GiB` : `${(n / MiB).toFixed(0)} MiB`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const log = (msg) => process.stderr.write(`${msg}\n`);

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
/** CPU seconds all CPUs spent busy (user, nice, system, irq, softirq, steal) since boot. */
function busyCpuS() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / CLK_TCK;
}

// ---------------------------------------------------------------------------------------------------- tools
function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const isRoot = process.getuid?.() === 0;
let aptUpdated = false;
function aptInstall(pkg, why) {
  if (!isRoot) return false;
  log(`installing ${pkg} with apt (${why}) ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    const u = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (u.status !== 0) return false;
    aptUpdated = true;
  }
  const r = spawnSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: ['ignore', 'ignore', 'inherit'], env });
  return r.status === 0;
}

function preflight(opts) {
  if (!existsSync(NODE)) fail(`pinned node not found at ${NODE}: run npm install`);
  const nodeVersion = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!nodeVersion.startsWith('v24.')) fail(`pinned node is ${nodeVersion}, expected v24`);
  if (!existsSync(CLI)) fail(`${CLI} not found`);
  // The benchmark measures the committed bundle: say so when it lags behind src/.
  const check = spawnSync(NODE, [join(ROOT, 'scripts/build.mjs'), '--check'], { encoding: 'utf8', cwd: ROOT });
  const distFresh = check.status === 0;
  if (!distFresh) log('WARNING: dist/ is stale (npm run build): the benchmark measures the bundle, not src/.');

  for (const t of ['zstd', 'sha256sum'])
    if (!which(t)) fail(`${t} is missing (apt-get install -y ${t === 'zstd' ? 'zstd' : 'coreutils'})`);
  let gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  if (gnuTime && spawnSync(gnuTime, ['-v', 'true'], { encoding: 'utf8' }).stderr.indexOf('Maximum resident') < 0) {
    gnuTime = null; // not GNU time
  }
  if (!gnuTime && aptInstall('time', 'GNU time -v measures peak RSS')) gnuTime = '/usr/bin/time';
  if (!gnuTime) log('note: GNU time not available: peak RSS is polled from /proc/<pid>/status (VmHWM).');

  let restic = null;
  if (opts.restic) {
    restic = which('restic');
    if (!restic && aptInstall('restic', 'the comparison')) restic = which('restic');
    if (!restic) {
      fail(
        'restic is not installed and this is not root: install it (apt-get update && apt-get install -y restic) ' +
          'or run with --no-restic',
      );
    }
  }
  const resticVersion = restic ? spawnSync(restic, ['version'], { encoding: 'utf8' }).stdout.trim() : null;
  const zstdVersion = spawnSync('zstd', ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { nodeVersion, distFresh, gnuTime, restic, resticVersion, zstdVersion };
}

// ---------------------------------------------------------------------------------------------------- running
/**
 * Runs a command and measures its wall time (spawn to exit), CPU time and peak RSS. stdin: a file path, a
 * function (child stdin) => Promise feeding it, or 'ignore'.
 */
async function measure(env, cmd, args, { stdin = 'ignore', childEnv = process.env, cwd = ROOT } = {}) {
  const statFile = join(env.tmp, `time-${process.hrtime.bigint()}.txt`);
  const argv = env.gnuTime ? [env.gnuTime, ['-v', '-o', statFile, cmd, ...args]] : [cmd, args];
  let stdinSpec = 'ignore';
  let fh = null;
  if (typeof stdin === 'string' && stdin !== 'ignore') {
    fh = await import('node:fs/promises').then((fs) => fs.open(stdin, 'r'));
    stdinSpec = fh.fd;
  } else if (typeof stdin === 'function') stdinSpec = 'pipe';
  const busy0 = busyCpuS();
  const t0 = performance.now();
  const child = spawn(argv[0], argv[1], { stdio: [stdinSpec, 'pipe', 'pipe'], env: childEnv, cwd });
  let hwmKiB = 0;
  let poll = null;
  if (!env.gnuTime) {
    const readHwm = () => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwmKiB = Math.max(hwmKiB, Number(m[1]));
      } catch {}
    };
    poll = setInterval(readHwm, 20);
  }
  const out = [];
  const err = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => {
    err.push(d);
    if (err.length > 64) err.shift();
  });
  const feeding = typeof stdin === 'function' ? stdin(child.stdin).catch((e) => e) : null;
  const [code] = await once(child, 'close');
  const wallMs = performance.now() - t0;
  const busyS = busyCpuS() - busy0;
  if (poll) clearInterval(poll);
  await fh?.close();
  const feedErr = feeding ? await feeding : null;
  const stdout = Buffer.concat(out).toString('utf8');
  const stderr = Buffer.concat(err).toString('utf8');
  if (code !== 0 || feedErr instanceof Error) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (exit ${code}${feedErr ? `, feed: ${feedErr.message}` : ''}):\n${stderr.slice(-3000)}`,
    );
  }
  let userS = null;
  let sysS = null;
  let maxRssKiB = hwmKiB || null;
  if (env.gnuTime) {
    const t = readFileSync(statFile, 'utf8');
    const num = (re) => Number(re.exec(t)?.[1]);
    userS = num(/User time \(seconds\): ([\d.]+)/);
    sysS = num(/System time \(seconds\): ([\d.]+)/);
    maxRssKiB = num(/Maximum resident set size \(kbytes\): (\d+)/);
    await rm(statFile, { force: true });
  }
  // CPU time the machine spent on anything but the measured command (other processes, steal, this script):
  // when it is large, the run competed for the CPUs and its time is skewed.
  const otherS = userS !== null ? Math.max(0, busyS - userS - sysS) : null;
  return { wallMs, userS, sysS, otherS, maxRssKiB, stdout, stderr };
}

function cleanEnv(extra) {
  const e = { ...process.env, ...extra };
  // The real KDF, the default worker count, no progress bars.
  for (const k of [
    'BACKDRILL_INSECURE_TEST_KDF',
    'BACKDRILL_WORKERS',
    'BACKDRILL_PASSWORD_FILE',
    'BACKDRILL_PASSWORD_COMMAND',
  ])
    delete e[k];
  for (const k of Object.keys(e)) if (k.startsWith('RESTIC_')) delete e[k];
  return { ...e, ...extra };
}

async function runQuiet(cmd, args, env) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: ROOT });
  const err = [];
  child.stdout.resume();
  child.stderr.on('data', (d) => err.push(d));
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${code}): ${Buffer.concat(err)}`);
}

let runCounter = 0;

/** backdrill: fresh repository (init is not timed), then the timed backup. */
async function runBackdrill(env, stdin) {
  const repo = join(env.tmp, `bd-${runCounter++}`);
  const childEnv = cleanEnv({ BACKDRILL_REPOSITORY: repo, BACKDRILL_PASSWORD: 'bench-password' });
  await runQuiet(NODE, [CLI, 'init'], childEnv);
  try {
    const m = await measure(env, NODE, [CLI, 'backup', '--stdin', '--name', 'dump.sql', '--json'], { stdin, childEnv });
    const j = JSON.parse(m.stdout.trim().split('\n').pop());
    return {
      ...m,
      repoBytes: dirBytes(repo),
      storedBytes: j.bytes_added,
      processedBytes: j.bytes_processed,
      internalMs: j.duration_ms,
      chunks: j.chunks_new,
    };
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
}

/**
 * The floor the repository issue names: zstd level 3 on one thread and a hash, writing nothing. (A new repository
 * compresses at level 1 since the PostgreSQL backup target; the stored sizes are side by side in the table.)
 */
async function runZstd(env, file) {
  const m = await measure(env, 'sh', ['-c', 'zstd -3 -T1 -q -c < "$1" | sha256sum > /dev/null', 'sh', file]);
  return { ...m, storedBytes: env.zstdBytes };
}

/** restic: fresh repository (init is not timed), then the timed backup. */
async function runRestic(env, file) {
  const repo = join(env.tmp, `restic-${runCounter++}`);
  const childEnv = cleanEnv({
    RESTIC_REPOSITORY: repo,
    RESTIC_PASSWORD: 'bench-password',
    RESTIC_CACHE_DIR: join(env.tmp, `restic-cache-${runCounter}`),
  });
  await runQuiet(env.restic, ['init'], childEnv);
  try {
    const m = await measure(env, env.restic, ['backup', '--stdin', '--stdin-filename', 'dump.sql', '--json'], {
      stdin: file,
      childEnv,
    });
    // restic 0.14 reports data_added before compression: the stored size is what the repository holds.
    return { ...m, storedBytes: dirBytes(repo), repoBytes: dirBytes(repo) };
  } finally {
    await rm(repo, { recursive: true, force: true });
    await rm(childEnv.RESTIC_CACHE_DIR, { recursive: true, force: true });
  }
}

/** Bytes stored under a directory (file sizes, not blocks). */
function dirBytes(dir) {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.split('\t')[0]) : null;
}

/** Flushes dirty pages left by the previous run so it does not slow the next one. */
function settle() {
  spawnSync('sync');
}

// ---------------------------------------------------------------------------------------------------- data
async function writeDataFile(path, size) {
  const ws = createWriteStream(path);
  for (const buf of dumpStream(size, 1)) if (!ws.write(buf)) await once(ws, 'drain');
  ws.end();
  await once(ws, 'finish');
}

async function zstdSize(file) {
  const child = spawn('sh', ['-c', 'zstd -3 -T0 -q -c < "$1"', 'sh', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let n = 0;
  child.stdout.on('data', (d) => {
    n += d.length;
  });
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error('zstd failed');
  return n;
}

/** Feeds `total` bytes: the file over and over, pass p XORed with byte p (pass 0 as is). */
function xorFeeder(file, total) {
  return async (sink) => {
    sink.on('error', () => {});
    let sent = 0;
    for (let pass = 0; sent < total; pass++) {
      const x = pass & 0xff || (pass ? 0x5a : 0);
      const x32 = (x * 0x01010101) | 0;
      for await (const piece of createReadStream(file, { highWaterMark: 4 * MiB })) {
        let buf = piece;
        if (sent + buf.length > total) buf = buf.subarray(0, total - sent);
        if (x !== 0) {
          buf = Buffer.from(buf); // own, aligned copy
          const words = buf.length >>> 2;
          const w = new Int32Array(buf.buffer, buf.byteOffset, words);
          for (let i = 0; i < words; i++) w[i] ^= x32;
          for (let i = words << 2; i < buf.length; i++) buf[i] ^= x;
        }
        sent += buf.length;
        if (!sink.write(buf)) await once(sink, 'drain');
        if (sent >= total) break;
      }
    }
    sink.end();
  };
}

// ---------------------------------------------------------------------------------------------------- main
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = new Date();
  const tools = preflight(opts);
  const load0 = loadavg();
  log(
    `backdrill repo-backup benchmark — ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, load ${load0.map((l) => l.toFixed(2)).join(' ')}`,
  );
  if (load0[0] > 0.5)
    log(`WARNING: the 1-minute load is ${load0[0].toFixed(2)}: other work is running, timings will be skewed.`);
  log(
    `node ${tools.nodeVersion}; ${tools.zstdVersion.replace(/^\*+\s*|\s*\*+$/g, '')}; ${tools.resticVersion ?? 'restic skipped'}`,
  );

  const tmp = await mkdtemp(join(opts.tmpdir, 'backdrill-bench-'));
  const env = { tmp, gnuTime: tools.gnuTime, restic: tools.restic, zstdBytes: 0 };
  const cleanup = async () => {
    if (!opts.keep) await rm(tmp, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup().finally(() => process.exit(130));
  });

  try {
    const file = join(tmp, 'dump.sql');
    let t = performance.now();
    await writeDataFile(file, opts.size);
    const genS = (performance.now() - t) / 1000;
    t = performance.now();
    env.zstdBytes = await zstdSize(file); // also pulls the file into the page cache
    const zstdRatio = opts.size / env.zstdBytes;
    log(
      `data: ${fmtSize(opts.size)} SQL-dump-like text generated in ${genS.toFixed(1)} s; zstd -3 ratio ${zstdRatio.toFixed(2)}x (${fmtSize(env.zstdBytes)})`,
    );
    settle();

    // Timed runs, interleaved (and rotated) so that drifting background load hits every tool alike.
    const names = ['backdrill', 'zstd-3 | sha256sum', ...(tools.restic ? ['restic'] : [])];
    const runners = {
      backdrill: () => runBackdrill(env, file),
      'zstd-3 | sha256sum': () => runZstd(env, file),
      restic: () => runRestic(env, file),
    };
    const results = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < opts.runs; r++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + r) % names.length];
        const res = await runners[name]();
        results[name].push(res);
        log(
          `  run ${r + 1}/${opts.runs} ${name.padEnd(19)} ${(res.wallMs / 1000).toFixed(2)} s  cpu ${res.userS !== null ? (res.userS + res.sysS).toFixed(1) : '?'} s  rss ${res.maxRssKiB ? (res.maxRssKiB / 1024).toFixed(0) : '?'} MiB  other ${res.otherS !== null ? res.otherS.toFixed(1) : '?'} s`,
        );
        settle();
      }
    }

    // Peak RSS of backdrill at each requested size (the timed runs cover --size).
    const rss = [];
    for (const size of opts.sizes) {
      if (size === opts.size) {
        const runs = results.backdrill;
        rss.push({
          size,
          peakRssMiB: Math.max(...runs.map((x) => x.maxRssKiB / 1024)),
          wallS: median(runs.map((x) => x.wallMs)) / 1000,
          source: 'timed runs (max)',
        });
        continue;
      }
      const res = await runBackdrill(env, xorFeeder(file, size));
      if (res.processedBytes !== size)
        throw new Error(`backdrill processed ${res.processedBytes} bytes, expected ${size}`);
      rss.push({
        size,
        peakRssMiB: res.maxRssKiB / 1024,
        wallS: res.wallMs / 1000,
        source: size > opts.size ? 'piped (file passes XORed)' : 'piped (file prefix)',
      });
      log(
        `  rss ${fmtSize(size).padEnd(8)} backdrill ${(res.wallMs / 1000).toFixed(1)} s (piped from this process), peak RSS ${(res.maxRssKiB / 1024).toFixed(0)} MiB`,
      );
      settle();
    }
    const load1 = loadavg();

    // ------------------------------------------------------------------------------------------ report
    const summary = names.map((name) => {
      const runs = results[name];
      const wall = runs.map((x) => x.wallMs / 1000);
      const med = median(wall);
      const cpu = runs.every((x) => x.userS !== null) ? median(runs.map((x) => x.userS + x.sysS)) : null;
      const stored = runs.find((x) => x.storedBytes)?.storedBytes ?? null;
      return {
        tool: name,
        runs: wall,
        medianS: med,
        minS: Math.min(...wall),
        maxS: Math.max(...wall),
        mibPerS: opts.size / MiB / med,
        cpuS: cpu,
        otherCpuS: runs.every((x) => x.otherS !== null) ? runs.map((x) => x.otherS) : null,
        peakRssMiB: Math.max(...runs.map((x) => (x.maxRssKiB ?? 0) / 1024)) || null,
        storedBytes: stored,
        repoBytes: runs.find((x) => x.repoBytes)?.repoBytes ?? null,
        storedRatio: stored ? opts.size / stored : null,
        ...(name === 'backdrill'
          ? { internalMedianS: median(runs.map((x) => x.internalMs / 1000)), chunks: runs[0].chunks }
          : {}),
      };
    });
    const bd = summary[0];
    for (const s of summary) s.backdrillOverTool = bd.medianS / s.medianS;

    const zs = summary.find((s) => s.tool.startsWith('zstd'));
    const rs = summary.find((s) => s.tool === 'restic');
    const targets = [
      {
        target: `backdrill / zstd-3|sha256sum time <= ${ZSTD_TARGET}`,
        value: `${zs.backdrillOverTool.toFixed(2)}`,
        pass: zs.backdrillOverTool <= ZSTD_TARGET,
      },
      ...(rs
        ? [
            {
              target: 'backdrill faster than restic',
              value: `${bd.medianS.toFixed(2)} s vs ${rs.medianS.toFixed(2)} s`,
              pass: bd.medianS < rs.medianS,
            },
          ]
        : []),
      ...rss.map((r) => ({
        target: `backdrill peak RSS < ${RSS_LIMIT_MIB} MiB at ${fmtSize(r.size)}`,
        value: `${r.peakRssMiB.toFixed(0)} MiB`,
        pass: r.peakRssMiB < RSS_LIMIT_MIB,
      })),
    ];

    const rows = [
      ['tool', 'median s', 'min-max s', 'MiB/s', 'bd ÷ tool', 'CPU s', 'peak RSS MiB', 'stored', 'ratio'],
      ...summary.map((s) => [
        s.tool,
        s.medianS.toFixed(2),
        `${s.minS.toFixed(2)}-${s.maxS.toFixed(2)}`,
        s.mibPerS.toFixed(0),
        s.backdrillOverTool.toFixed(2),
        s.cpuS !== null ? s.cpuS.toFixed(1) : '?',
        s.peakRssMiB ? s.peakRssMiB.toFixed(0) : '?',
        s.storedBytes ? fmtSize(s.storedBytes) : '-',
        s.storedRatio ? `${s.storedRatio.toFixed(2)}x` : '-',
      ]),
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
    const line = (r) =>
      r.map((v, c) => (c === 0 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join('  ');
    const out = [];
    out.push('');
    out.push(
      `backdrill backup --stdin, ${fmtSize(opts.size)} SQL-dump-like stream (zstd -3 ratio ${zstdRatio.toFixed(2)}x), ${opts.runs} run(s) each, median wall time`,
    );
    out.push(line(rows[0]));
    out.push(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows.slice(1)) out.push(line(r));
    out.push('');
    out.push('stored: backdrill bytes_added (sealed chunks), restic repository size, zstd compressed output size');
    out.push(
      `backdrill internal duration (after repo open + lock): ${bd.internalMedianS.toFixed(2)} s median; ${bd.chunks} chunks`,
    );
    for (const r of rss)
      out.push(
        `backdrill at ${fmtSize(r.size).padEnd(8)} peak RSS ${r.peakRssMiB.toFixed(0).padStart(4)} MiB, ${r.wallS.toFixed(1)} s (${r.source})`,
      );
    out.push('');
    for (const t of targets) out.push(`${t.pass ? 'PASS' : 'FAIL'}  ${t.target}: ${t.value}`);
    const busy = summary.flatMap((s) =>
      (s.otherCpuS ?? []).map((o, i) => ({
        tool: s.tool,
        run: i + 1,
        share: o / (s.runs[i] * availableParallelism()),
      })),
    );
    const noisy = busy.filter((b) => b.share > 0.05);
    if (noisy.length > 0) {
      out.push('');
      out.push(
        `WARNING: other work used the CPUs during ${noisy.length} run(s) (${noisy
          .map((b) => `${b.tool} #${b.run} ${(100 * b.share).toFixed(0)}%`)
          .join(', ')}): rerun on an idle machine.`,
      );
    }
    out.push('');
    out.push(
      `${tools.nodeVersion}, ${tools.resticVersion ?? 'no restic'}, ${availableParallelism()} CPUs, load ${load0[0].toFixed(2)} -> ${load1[0].toFixed(2)}${tools.distFresh ? '' : ', dist/ STALE'}`,
    );
    console.log(out.join('\n'));

    const json = {
      benchmark: 'repo-backup',
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model ?? null,
        memGiB: Math.round(totalmem() / 2 ** 30),
        loadBefore: load0,
        loadAfter: load1,
      },
      versions: {
        node: tools.nodeVersion,
        zstd: tools.zstdVersion,
        restic: tools.resticVersion,
        distFresh: tools.distFresh,
      },
      data: {
        bytes: opts.size,
        kind: 'SQL-dump-like text (bench/gen-dump.mjs, seed 1)',
        zstd3Bytes: env.zstdBytes,
        zstd3Ratio: zstdRatio,
        generateS: genS,
      },
      runsPerTool: opts.runs,
      peakRssMethod: tools.gnuTime
        ? 'GNU time -v (maximum resident set size)'
        : '/proc/<pid>/status VmHWM polled every 20 ms',
      tools: summary,
      rss,
      targets,
    };
    mkdirSync(join(opts.out, '..'), { recursive: true });
    writeFileSync(opts.out, `${JSON.stringify(json, null, 2)}\n`);
    log(`results written to ${opts.out}`);
    process.exitCode = targets.every((t) => t.pass) ? 0 : 1;
  } finally {
    await cleanup();
  }
}

await main();
