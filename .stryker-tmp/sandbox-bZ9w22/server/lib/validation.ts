// @ts-nocheck
import type { z } from 'zod';

/**
 * Zod issues as sentences a person can act on ("providers.0: provider name contains a glob
 * character"). A union's own message is just "Invalid input": report the branch that got past the
 * type check instead (for `providers`, the array branch, not the "all" literal).
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length) {
      const typeMismatch = (branch: z.core.$ZodIssue[]) =>
        branch.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'));
      const relevant = issue.errors.filter((branch) => !typeMismatch(branch));
      return (relevant.length ? relevant : issue.errors).flatMap((branch) => describeIssues(branch, path));
    }
    if ((issue.code === 'invalid_key' || issue.code === 'invalid_element') && issue.issues.length) {
      return describeIssues(issue.issues, path); // a record key or map element: say what is wrong with it
    }
    return [`${path.length ? `${path.map(String).join('.')}: ` : ''}${issue.message}`];
  });
}

export const describeZodError = (error: z.ZodError) => `Invalid input: ${[...new Set(describeIssues(error.issues))].join('; ')}`;
