// @ts-nocheck
'use client';

import { ConnectionState } from '~/components/jobs/connection-state';
import { useActivity } from './use-activity';

/** Keeps every view of the page current, and says whether it can. */
export function LiveUpdates() {
  const connection = useActivity();
  return (
    <span className="live-updates" title="Provider cache state and history update as things happen, on any instance">
      <span className="sr-only">Live updates: </span>
      <ConnectionState connection={connection} />
    </span>
  );
}
