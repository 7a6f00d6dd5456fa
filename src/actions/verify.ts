// The verify action: structure check of the repository, optionally reading (a subset of) the data back.
import * as core from '@actions/core';
import { BackdrillError, UsageError } from '../errors.ts';
import { withLock } from '../repo/lock.ts';
import { parseSubset, type Subset, type VerifyResult, verifyRepository } from '../repo/verify.ts';
import {
  alertFromInputs,
  failureMessage,
  input,
  prepare,
  runAction,
  withRepo,
  writeReport,
  writeSummary,
} from './common.ts';
import { Input, Output } from './names.ts';
import { renderVerify, verifyReport } from './summary.ts';

function subsetInput(): Subset | undefined {
  const text = input(Input.readDataSubset).trim();
  if (text === '') return undefined;
  if (text === 'all') return { kind: 'all' };
  try {
    return parseSubset(text);
  } catch {
    throw new UsageError(
      `input ${Input.readDataSubset}: ${JSON.stringify(text)} is not a subset`,
      'use all, n/t (e.g. 1/7) or N% (e.g. 10%)',
    );
  }
}

export async function run(): Promise<void> {
  await runAction(async (secrets) => {
    const ctx = prepare(secrets);
    const subset = subsetInput();
    let result: VerifyResult | null = null;
    let failure: unknown;
    try {
      result = await withRepo(
        ctx,
        (repo) =>
          withLock(repo, 'shared', { operation: 'verify' }, () =>
            verifyRepository(repo, { readData: subset !== undefined, ...(subset ? { subset } : {}) }),
          ),
        { pipeline: subset !== undefined },
      );
    } catch (err) {
      failure = err;
    }
    const report = verifyReport(
      result,
      input(Input.readDataSubset).trim() || null,
      failure === undefined ? null : failureMessage(failure, secrets),
    );
    core.setOutput(Output.passed, String(report.passed));
    writeReport(secrets, 'verify', report);
    const markdown = renderVerify(report);
    await writeSummary(secrets, markdown);
    await alertFromInputs(secrets, { kind: 'verify', stores: 'repository' }, { ok: report.passed, details: markdown });
    if (failure !== undefined) throw failure;
    if (!report.passed) {
      throw new BackdrillError(
        'integrity',
        `the repository is damaged: ${report.errors.length} error(s), see the job summary`,
      );
    }
  });
}
