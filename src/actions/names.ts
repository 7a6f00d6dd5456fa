// Every input and output name of the published actions, in one place, with the descriptions and defaults that
// actions/<name>/action.yml and docs/actions.md carry. test/actions/names.test.ts checks both against this module
// (`npx tsx src/actions/generate.ts` rewrites the action.yml files and the docs tables).

export interface InputSpec {
  description: string;
  required?: boolean;
  default?: string;
}

export interface ActionSpec {
  name: string;
  description: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, string>;
}

export const Input = {
  config: 'config',
  repository: 'repository',
  password: 'password',
  passwordFile: 'password-file',
  stores: 'stores',
  tags: 'tags',
  set: 'set',
  snapshot: 'snapshot',
  store: 'store',
  target: 'target',
  force: 'force',
  readDataSubset: 'read-data-subset',
  provider: 'provider',
  forget: 'forget',
  grace: 'grace',
  dryRun: 'dry-run',
  reportPath: 'report-path',
  issueAlerts: 'issue-alerts',
  issueLabel: 'issue-label',
  githubToken: 'github-token',
} as const;

export const Output = {
  snapshotIds: 'snapshot-ids',
  setId: 'set-id',
  bytesAdded: 'bytes-added',
  dedupRatio: 'dedup-ratio',
  rtoMs: 'rto-ms',
  rpoMs: 'rpo-ms',
  reportPath: 'report-path',
  passed: 'passed',
  issueUrl: 'issue-url',
  bytesFreed: 'bytes-freed',
  snapshotsForgotten: 'snapshots-forgotten',
} as const;

const common: Record<string, InputSpec> = {
  [Input.config]: { description: 'Path of backdrill.yml (the repository and the stores).', default: 'backdrill.yml' },
  [Input.repository]: {
    description:
      'Repository location (a folder, s3://bucket/prefix or s3:https://host/bucket/prefix); default: from the config.',
  },
  [Input.password]: { description: 'Repository password (pass a secret); or use password-file, or the config.' },
  [Input.passwordFile]: { description: 'File holding the repository password.' },
  [Input.reportPath]: {
    description: 'Where to write the report JSON (upload it with actions/upload-artifact); default: in RUNNER_TEMP.',
  },
};

const alerts: Record<string, InputSpec> = {
  [Input.issueAlerts]: {
    description: 'Open (or comment on) an issue when this fails, close it when it passes again; needs `issues: write`.',
    default: 'true',
  },
  [Input.issueLabel]: { description: 'Label of the alert issues.', default: 'backdrill' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, evaluated by the runner
  [Input.githubToken]: { description: 'Token for the issue alerts.', default: '${{ github.token }}' },
};

export const actions: Record<'backup' | 'verify' | 'restore-drill' | 'prune' | 'restore', ActionSpec> = {
  backup: {
    name: 'backdrill backup',
    description: 'Back up the stores of backdrill.yml into one encrypted, deduplicated backup set.',
    inputs: {
      ...common,
      [Input.stores]: { description: 'Only these stores (comma- or newline-separated names); default: all.' },
      [Input.tags]: { description: 'Tags for the snapshots (comma- or newline-separated).' },
      [Input.set]: { description: 'Join this backup set ID (matrix jobs backing up stores in parallel).' },
      ...alerts,
    },
    outputs: {
      [Output.snapshotIds]: 'JSON object: store name -> snapshot ID.',
      [Output.setId]: 'The backup set ID.',
      [Output.bytesAdded]: 'Bytes added to the repository (after deduplication and compression).',
      [Output.dedupRatio]: 'Bytes processed / bytes added (higher is better).',
      [Output.reportPath]: 'Path of the report JSON.',
      [Output.passed]: '"true" when every store was backed up.',
    },
  },
  verify: {
    name: 'backdrill verify',
    description:
      'Prove the repository is intact: every snapshot opens, every chunk exists (and optionally reads back).',
    inputs: {
      ...common,
      [Input.readDataSubset]: {
        description: 'Also read and re-hash data: "all", n/t (e.g. 1/7) or N%; empty reads no data.',
      },
      ...alerts,
    },
    outputs: {
      [Output.passed]: '"true" when the repository is intact.',
      [Output.reportPath]: 'Path of the report JSON.',
    },
  },
  'restore-drill': {
    name: 'backdrill restore-drill',
    description: 'Restore a backup set into throwaway servers, compare fingerprints, run checks, measure RTO/RPO.',
    inputs: {
      ...common,
      [Input.stores]: { description: 'Only these stores (comma- or newline-separated names); default: all.' },
      [Input.set]: { description: 'Backup set ID or prefix; default: the newest complete set.' },
      [Input.provider]: {
        description: 'Sandbox provider: local, external or testcontainers; default: from the config.',
      },
      ...alerts,
    },
    outputs: {
      [Output.passed]: '"true" when the drill passed.',
      [Output.setId]: 'The backup set drilled.',
      [Output.rtoMs]: 'Measured RTO in milliseconds.',
      [Output.rpoMs]: 'Measured RPO in milliseconds.',
      [Output.reportPath]: 'Path of the report JSON.',
      [Output.issueUrl]: 'The alert issue, when one was opened or updated.',
    },
  },
  prune: {
    name: 'backdrill prune',
    description: 'Apply the retention section of backdrill.yml and delete data no snapshot references.',
    inputs: {
      ...common,
      [Input.forget]: {
        description: 'Forget snapshots by the retention section of backdrill.yml first ("false": only collect).',
        default: 'true',
      },
      [Input.grace]: {
        description: 'Delete unreferenced data only when older than this (e.g. 1h, 1d).',
        default: '1h',
      },
      [Input.dryRun]: { description: 'Plan only; change nothing.', default: 'false' },
    },
    outputs: {
      [Output.snapshotsForgotten]: 'Snapshots forgotten.',
      [Output.bytesFreed]: 'Bytes freed.',
      [Output.reportPath]: 'Path of the report JSON.',
    },
  },
  restore: {
    name: 'backdrill restore',
    description: 'Restore a snapshot of one store into a server (manual restores from workflow_dispatch).',
    inputs: {
      ...common,
      [Input.store]: { description: 'The store (from backdrill.yml) to restore.', required: true },
      [Input.snapshot]: { description: 'Snapshot ID, unique prefix, or "latest".', default: 'latest' },
      [Input.target]: {
        description:
          "Where to restore, a URL without credentials (they come from the store's config); default: the store's own url.",
      },
      [Input.force]: {
        description: 'Replace a non-empty target (its contents are saved as a safety snapshot first).',
        default: 'false',
      },
    },
    outputs: {
      [Output.snapshotIds]: 'JSON object: store name -> restored snapshot ID (and safety snapshot, if any).',
      [Output.rtoMs]: 'How long the restore took, in milliseconds.',
      [Output.reportPath]: 'Path of the report JSON.',
    },
  },
};

export type ActionName = keyof typeof actions;

/** State saved between steps (none of the actions has a post step yet). */
export const State = {} as const;

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/** The action.yml of one action, exactly as committed. */
export function renderActionYml(name: ActionName): string {
  const spec = actions[name];
  const out = [
    `# Generated from src/actions/names.ts (npx tsx src/actions/generate.ts); test/actions/names.test.ts checks it.`,
    `name: ${yamlString(spec.name)}`,
    `description: ${yamlString(spec.description)}`,
    `author: backdrill`,
    `branding:`,
    `  icon: shield`,
    `  color: green`,
    `inputs:`,
  ];
  for (const [input, i] of Object.entries(spec.inputs)) {
    out.push(`  ${input}:`, `    description: ${yamlString(i.description)}`, `    required: ${i.required === true}`);
    if (i.default !== undefined) out.push(`    default: ${yamlString(i.default)}`);
  }
  out.push('outputs:');
  for (const [output, d] of Object.entries(spec.outputs)) out.push(`  ${output}:`, `    description: ${yamlString(d)}`);
  out.push('runs:', '  using: node24', `  main: ../../dist/actions/${name}.js`, '');
  return out.join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The inputs and outputs tables of docs/actions.md for one action. */
export function renderDocsTables(name: ActionName): string {
  const spec = actions[name];
  const out = ['| input | required | default | description |', '| --- | --- | --- | --- |'];
  for (const [input, i] of Object.entries(spec.inputs)) {
    out.push(
      `| \`${input}\` | ${i.required ? 'yes' : 'no'} | ${i.default === undefined ? '' : `\`${cell(i.default)}\``} | ${cell(i.description)} |`,
    );
  }
  out.push('', '| output | description |', '| --- | --- |');
  for (const [output, d] of Object.entries(spec.outputs)) out.push(`| \`${output}\` | ${cell(d)} |`);
  return out.join('\n');
}
