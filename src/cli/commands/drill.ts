// backdrill drill: restore a backup set into throwaway servers and prove it (src/drill/runner.ts).
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig } from '../../config/load.ts';
import { loadChecks } from '../../drill/checks.ts';
import { runDrill } from '../../drill/runner.ts';
import { ProviderName } from '../../drill/sandbox.ts';
import { UsageError } from '../../errors.ts';
import { renderMarkdown } from '../../report/markdown.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { configPath, repoEnvHelp, repoOptions, withRepository } from '../repo-options.ts';

export const drillCommand: Command = {
  name: 'drill',
  summary: 'restore a backup set into throwaway servers and check it (RTO, RPO, fingerprints, checks)',
  usage: 'backdrill drill [SET] [flags]',
  details: `SET is a backup set ID or prefix; default: the newest set holding every store of backdrill.yml.
Each store is restored into a sandbox (drill.provider: local server binaries, external URLs from
drill.targets, Docker containers through testcontainers, or auto: testcontainers where a Docker host
answers, else local), each sandbox waited for (drill.readyTimeout), its fingerprint compared with the one recorded at backup time, then
the checks of drill.checks run (queries with expected results, cross-store key rules). RTO (time until
every store is restored) and RPO (age of the set) are measured against drill.rto / drill.rpo. The result
is recorded in the repository. Exit 0 when the drill passed, 3 when anything failed (each failure named).

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    before: { type: 'string', value: 'TIME', description: 'drill the newest set taken before TIME (ISO 8601)' },
    provider: {
      type: 'string',
      value: 'NAME',
      description: 'local | external | testcontainers (overrides drill.provider)',
    },
    json: { type: 'boolean', description: 'print the report as JSON (versioned schema, see docs/drills.md)' },
    markdown: { type: 'string', value: 'FILE', description: 'also write the Markdown report to FILE' },
    'report-json': { type: 'string', value: 'FILE', description: 'also write the JSON report to FILE' },
    'no-record': { type: 'boolean', description: 'do not record the result in the repository' },
  },
  positionals: ['[SET]'],
  async run({ values, positionals }, io) {
    const loaded = loadConfig(configPath(values, io.env), io.env);
    const drill = { ...loaded.config.drill };
    if (values.provider !== undefined) {
      const p = ProviderName.safeParse(values.provider);
      if (!p.success) throw new UsageError(`--provider ${values.provider}: use local, external or testcontainers`);
      drill.provider = p.data;
    }
    let before: Date | undefined;
    if (values.before !== undefined) {
      before = new Date(values.before as string);
      if (Number.isNaN(before.getTime())) throw new UsageError(`--before ${values.before}: not a date (use ISO 8601)`);
    }
    const checks = loadChecks(drill.checks, dirname(loaded.path));
    return withRepository(
      values,
      io,
      async (repo) => {
        const report = await runDrill(repo, {
          config: loaded.config,
          drill,
          checks,
          ...(positionals[0] ? { set: positionals[0] } : {}),
          ...(before ? { before } : {}),
          record: !values['no-record'],
          log: (line) => io.stderr.write(`${line}\n`),
        });
        const markdown = renderMarkdown(report);
        if (values.markdown) writeFileSync(values.markdown as string, markdown);
        if (values['report-json'])
          writeFileSync(values['report-json'] as string, `${JSON.stringify(report, null, 2)}\n`);
        io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : markdown);
        return report.passed ? ExitCode.ok : ExitCode.integrity;
      },
      { fromConfig: loaded.config.repository, pipeline: true },
    );
  },
};
