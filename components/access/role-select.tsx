import type { Role } from '~/server/identity/schema';

export function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange(role: Role): void }) {
  return (
    <label className="field" htmlFor={id}>
      <span className="label">Role</span>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value === 'admin' ? 'admin' : 'viewer')}>
        <option value="viewer">viewer (reads)</option>
        <option value="admin">admin (invalidates, manages access)</option>
      </select>
    </label>
  );
}
