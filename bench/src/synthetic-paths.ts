import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const DURATIONS = ['35 minutes', '45 min', '1 hour', '1.5 hours', '1 hour 15 minutes', '1h 30m', '25 minutes', '50 min'];
const KINDS = ['Article', 'Video', 'Tutorial', 'Documentation', 'Course', 'Book', 'Exercise', 'Project'];
const PHASES = ['Foundations', 'Core Concepts', 'Advanced Topics'];

/** A seed-sized learning path in the Markdown format: 3 phases × 4 resources, links, videos, checklist, notes. */
export function syntheticPathMarkdown(n: number): string {
  const lines: string[] = [`# Synthetic Path ${n}`, '', '## Overview', ''];
  lines.push(
    `Path ${n} is generated for benchmarks. It compares approaches to processing data in large chunks at scheduled intervals with handling events in real time as they arrive, and covers the trade-offs in latency, throughput, cost and complexity.`,
    '',
    '## Prerequisites',
    '',
    'Understanding of data processing concepts and system architecture.',
    '',
    '## Learning Path',
    '',
  );
  let r = 0;
  PHASES.forEach((phase, p) => {
    lines.push(`### Phase ${p + 1}: ${phase}`, '', '**Resources to consume in order:**', '');
    for (let i = 1; i <= 4; i++) {
      r++;
      lines.push(`${i}. **Topic ${n}-${r} Reading** — [${KINDS[(n + r) % KINDS.length]}]`);
      lines.push(`   - Duration: ${DURATIONS[(n * 3 + r) % DURATIONS.length]}`);
      lines.push(`   - Focus: Understanding topic ${r} of path ${n} and how it relates to the rest of the phase`);
      lines.push(`   - URL: https://example.com/paths/${n}/resources/${r}`);
      if (i === 1 && p > 0) lines.push(`   - Dependencies: Complete Phase ${p}`);
      if (i < 4) lines.push(`   - Next step: Move to resource ${i + 1}`);
      else if (p < PHASES.length - 1) lines.push(`   - Next step: Move to Phase ${p + 2}`);
      lines.push('');
    }
  });
  lines.push(
    '## Additional Resources',
    '',
    `- [Processing Guide ${n}](https://example.com/guides/${n}) — A guide to data processing`,
    `- [Streaming Reference ${n}](https://example.com/streaming/${n}) — Reference material on streams`,
    `- [Batch Reference ${n}](https://example.com/batch/${n}) — Reference material on batches`,
    '',
    '## Supplementary Videos',
    '',
    `- [Talk ${n}](https://example.com/videos/${n}) — 10:42 — Example Channel`,
    `- [Lecture ${n}](https://example.com/lectures/${n}) — 1:02:03 — Example University`,
    '',
    '## Completion Checklist',
    '',
    '- [ ] Phase 1 completed',
    '- [ ] Phase 2 completed',
    '- [ ] Phase 3 completed',
    '- [ ] Supplementary materials reviewed',
    '',
    '## Notes',
    '',
    'The choice between approaches depends on your requirements: data volume, latency and complexity.',
    '',
  );
  return lines.join('\n');
}

/** Writes `count` synthetic Markdown paths into `dir` (created), a few at a time. */
export async function writeSyntheticCatalog(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const batch = 64;
  for (let start = 0; start < count; start += batch) {
    const writes: Promise<void>[] = [];
    for (let n = start; n < Math.min(count, start + batch); n++) {
      writes.push(writeFile(join(dir, `synthetic-path-${String(n).padStart(5, '0')}.md`), syntheticPathMarkdown(n)));
    }
    await Promise.all(writes);
  }
}
