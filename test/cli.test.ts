import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/cli/commands/index.ts';
import { exitCodeMeanings } from '../src/cli/exit-codes.ts';
import { runCli } from './helpers/cli.ts';

const exec = promisify(execFile);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('backdrill CLI skeleton', () => {
  it('--help lists every command that exists and the exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of commands) expect(r.stdout).toMatch(new RegExp(`^  ${c.name}\\s+${escapeRe(c.summary)}$`, 'm'));
    const listed = r.stdout
      .split('Commands:\n')[1]!
      .split('\n\n')[0]!
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0])
      .filter((n) => n && !n.startsWith('('));
    expect(listed).toEqual(commands.map((c) => c.name));
    for (const [code, meaning] of exitCodeMeanings) expect(r.stdout).toContain(`${code}`.padEnd(4) + meaning);
  });

  it('an unknown command is a usage error (exit 2) that says where to look', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain('backdrill --help');
  });

  it('no arguments prints help on stdout and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Usage: backdrill <command>');
  });

  it('the README exit-code table is the one the CLI uses', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\|\s*(\d+)\s*\|\s*(.+?)\s*\|$/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(rows).toEqual(exitCodeMeanings.map(([c, m]) => [c, m]));
  });

  it('the committed bundle runs as `backdrill --version` on Node 24', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const { stdout } = await exec(process.execPath, [
      new URL('../bin/backdrill.js', import.meta.url).pathname,
      '--version',
    ]);
    expect(stdout).toContain(`backdrill ${pkg.version}`);
    expect(stdout).toMatch(/node v24\./);
  });
});
