// The `retention` section as forget and prune read it from backdrill.yml. The loader is mocked: the section joins
// the config schema (src/config/schema.ts) separately; this checks what the commands do with what it returns.
import { describe, expect, it, vi } from 'vitest';
import { configuredRetention } from '../../src/cli/commands/retention.ts';
import { loadConfig } from '../../src/config/load.ts';

vi.mock('../../src/config/load.ts', async (original) => ({
  ...(await original<typeof import('../../src/config/load.ts')>()),
  loadConfig: vi.fn(),
}));

function withSection(retention: unknown) {
  vi.mocked(loadConfig).mockReturnValue({
    config: { retention } as unknown as ReturnType<typeof loadConfig>['config'],
    path: 'backdrill.yml',
    secrets: [],
  });
}

describe('retention section of backdrill.yml', () => {
  it('is read from --config and validated, errors naming retention.<field>', () => {
    withSection({ keepDaily: 7, keepTag: 'release', grace: '2h' });
    expect(configuredRetention({ config: 'ci.yml' }, {})).toEqual({ keepDaily: 7, keepTag: ['release'], grace: '2h' });
    expect(vi.mocked(loadConfig)).toHaveBeenCalledWith('ci.yml', {});

    withSection({ keepDaily: -1 });
    expect(() => configuredRetention({ config: 'ci.yml' }, {})).toThrow(
      /^ci\.yml: retention\.keepDaily: expected a whole number of at least 1, or "unlimited"/,
    );
    withSection({ keepTag: ['ok', ''] });
    expect(() => configuredRetention({ config: 'ci.yml' }, {})).toThrow(
      /retention\.keepTag\[1\]: a tag cannot be empty/,
    );
  });

  it('is not needed (nor read) when the flags give both the keep rules and the grace period', () => {
    vi.mocked(loadConfig).mockClear();
    withSection(undefined);
    expect(configuredRetention({ config: 'ci.yml' }, {})).toBeUndefined();
    vi.mocked(loadConfig).mockClear();
    expect(configuredRetention({ config: 'ci.yml', 'keep-last': '1', grace: '0s' }, {})).toBeUndefined();
    expect(vi.mocked(loadConfig)).not.toHaveBeenCalled();
  });
});
