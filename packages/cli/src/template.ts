/** The title a slug suggests: `data-quality-testing` → `Data Quality Testing`. */
export function titleOfSlug(slug: string): string {
  return slug
    .split('-')
    .map((word) => (word === '' ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join(' ');
}

/**
 * A new learning path document in the seed's format. Placeholders in brackets (`[Duration]`,
 * `[URL/Link description]`, `[Channel/Source]`) mark what is still to be written: `learnpath
 * check` warns about each until it is filled in.
 */
export function renderTemplate(slug: string, title: string): string {
  return `---
slug: ${slug}
level: beginner
tags: []
---

# ${title}

## Overview

Describe what a learner will understand or be able to do after this path, and who it is for.

## Prerequisites

What a learner should know before starting.

## Learning Path

### Phase 1: Foundations

**Resources to consume in order:**

1. **First Resource** — [Article]
   - Duration: [Duration]
   - Focus: What to look for in this resource
   - Next step: Move to resource 2

2. **Second Resource** — [Video]
   - Duration: [Duration]
   - Focus: What to look for in this resource
   - Next step: Move to Phase 2

### Phase 2: Core Concepts

**Resources to consume in order:**

1. **Third Resource** — [Tutorial]
   - Duration: [Duration]
   - Focus: What to practise
   - Dependencies: Complete Phase 1

2. **Fourth Resource** — [Documentation]
   - Duration: [Duration]
   - Focus: What to look up

### Phase 3: Advanced Topics

**Resources to consume in order:**

1. **Fifth Resource** — [Project]
   - Duration: [Duration]
   - Focus: What to build
   - Dependencies: Complete Phase 2

## Additional Resources

- Further Reading — [URL/Link description]

## Supplementary Videos

- Supplementary Video — [Duration] — [Channel/Source]

## Completion Checklist

- [ ] Phase 1 completed
- [ ] Phase 2 completed
- [ ] Phase 3 completed
- [ ] Supplementary materials reviewed

## Notes

Closing advice for the learner.
`;
}
