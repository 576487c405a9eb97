'use client';

/** A secret the server will never show again (a new token, an initial password), with a copy button. */
export function ShownOnce({ label, value, onDone }: { label: string; value: string; onDone(): void }) {
  return (
    <div role="status" className="notice notice-info shown-once">
      <p className="notice-title">{label}</p>
      <p>Copy it now: it is shown this once and never stored.</p>
      <code className="secret" aria-label={label}>
        {value}
      </code>
      <div className="notice-actions">
        <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(value)}>
          Copy
        </button>
        <button type="button" className="button button-ghost" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
