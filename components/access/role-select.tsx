import { roleSchema, type Role } from '~/server/identity/schema';

/** Each role in words: what it may do beyond the one before it. */
const ROLE_WORDS: Record<Role, string> = {
  viewer: 'viewer (reads)',
  operator: 'operator (previews, invalidates, refreshes)',
  admin: 'admin (also manages access and schedules)',
};

export function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange(role: Role): void }) {
  return (
    <label className="field" htmlFor={id}>
      <span className="label">Role</span>
      <select id={id} className="input" value={value} onChange={(e) => onChange(roleSchema.catch('viewer').parse(e.target.value))}>
        {roleSchema.options.map((role) => (
          <option key={role} value={role}>
            {ROLE_WORDS[role]}
          </option>
        ))}
      </select>
    </label>
  );
}
