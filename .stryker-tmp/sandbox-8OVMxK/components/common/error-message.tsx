// @ts-nocheck
'use client';

import { usePathname } from 'next/navigation';
import { describeError, errorCode } from './trpc-error';

interface Props {
  error: unknown;
  /** What failed, e.g. "Could not load providers". */
  title: string;
  onRetry?: () => void;
}

/** An error in words (role=alert); an ended session links to the login page and back here. */
export function ErrorMessage({ error, title, onRetry }: Props) {
  const pathname = usePathname();
  const unauthorized = errorCode(error) === 'UNAUTHORIZED';
  return (
    <div role="alert" className="notice notice-error">
      <p className="notice-title">{unauthorized ? 'Signed out' : title}</p>
      <p>{describeError(error)}</p>
      <div className="notice-actions">
        {unauthorized ? (
          <a className="button button-primary" href={`/login?next=${encodeURIComponent(pathname)}`}>
            Sign in again
          </a>
        ) : onRetry ? (
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        ) : null}
      </div>
    </div>
  );
}
