import type { Job, JobStore } from '@yiyun/store';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { JobRunner } from './job-runner.ts';

/** An in-memory job table with the calls the runner makes. */
function fakeJobs(job: Job) {
  const calls: string[] = [];
  let claimed = false;
  const jobs = {
    claim: async () => {
      if (claimed) return undefined;
      claimed = true;
      return job;
    },
    heartbeat: async () => true,
    finish: async (id: string) => void calls.push(`finish ${id}`),
    release: async (id: string) => void calls.push(`release ${id}`),
  };
  return { jobs: jobs as unknown as JobStore, calls };
}

const job = { id: 'j1', kind: 'import' } as Job;

describe('JobRunner', () => {
  it('stops a long job at its next progress report on shutdown and queues it again (server hung on SIGTERM)', async () => {
    const { jobs, calls } = fakeJobs(job);
    let reports = 0;
    const runner = new JobRunner({
      jobs,
      logger: pino({ level: 'silent' }),
      handlers: {
        import: async (_job, report) => {
          for (;;) {
            await report({ read: ++reports });
            await new Promise((r) => setTimeout(r, 5));
          }
        },
      },
    });
    runner.start();
    await new Promise((r) => setTimeout(r, 30));
    await runner.stop();
    expect(reports).toBeGreaterThan(0);
    expect(calls).toEqual(['release j1']);
  });

  it('finishes a job that completes', async () => {
    const { jobs, calls } = fakeJobs(job);
    const runner = new JobRunner({
      jobs,
      logger: pino({ level: 'silent' }),
      handlers: { import: async () => ({ ok: true }) },
    });
    runner.start();
    await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    expect(calls).toEqual(['finish j1']);
  });
});
