/**
 * A labelled select or text input for GET filter forms. The label points at the control by id
 * (never by wrapping it), so each form keeps ids of its own.
 */
export const fieldClass = 'mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900';

/**
 * A control with its label above it (and, with `error`, the field's error below it). The label
 * points at the control by `id`.
 */
export function Labelled({
  id,
  label,
  error,
  className = '',
  children,
}: {
  id: string;
  label: React.ReactNode;
  error?: string | null;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div className={`flex flex-col text-xs text-slate-600 ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? <span className="text-red-700">{error}</span> : null}
    </div>
  );
}

/** A value, or [value, label]. */
export type FieldOption = string | readonly [string, string];

/** A select's options: a value that is its own text, or a [value, text] pair. */
export function Options({ options }: { options: readonly (string | readonly [string, string])[] }) {
  return options.map((o) => {
    const [value, text] = typeof o === 'string' ? [o, o] : o;
    return (
      <option key={value} value={value}>
        {text}
      </option>
    );
  });
}

export function SelectField({
  id,
  label,
  name,
  defaultValue,
  options,
  empty,
}: {
  id: string;
  label: string;
  name: string;
  defaultValue?: string | null;
  options: readonly FieldOption[];
  /** The label of a first, empty option ("Any"); none when left out. */
  empty?: string;
}) {
  return (
    <Labelled id={id} label={label}>
      <select id={id} name={name} defaultValue={defaultValue ?? ''} className={fieldClass}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        <Options options={options} />
      </select>
    </Labelled>
  );
}

/** A select of a filter form, declared once: its parameter, label, options and empty choice. */
export interface SelectDef<K extends string> {
  name: K;
  label: string;
  options: readonly FieldOption[];
  empty?: string;
}

/**
 * Several selects of one filter form from their definitions: each named by its parameter, with the
 * id `${prefix}-${name}` and the current value from `values`.
 */
export function SelectFields<K extends string>({
  prefix,
  values,
  fields,
}: {
  prefix: string;
  values: { [k in K]?: string | null };
  fields: readonly SelectDef<K>[];
}) {
  return fields.map((d) => (
    <SelectField
      key={d.name}
      id={`${prefix}-${d.name}`}
      label={d.label}
      name={d.name}
      defaultValue={values[d.name]}
      options={d.options}
      empty={d.empty}
    />
  ));
}

export function TextField({
  id,
  label,
  name,
  defaultValue,
  type = 'text',
  width = 'w-32',
  placeholder,
}: {
  id: string;
  label: string;
  name: string;
  defaultValue?: string | null;
  type?: 'text' | 'search';
  width?: string;
  placeholder?: string;
}) {
  return (
    <Labelled id={id} label={label}>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue ?? ''}
        placeholder={placeholder}
        className={`${fieldClass} ${width}`}
      />
    </Labelled>
  );
}

/** The facility select of the page bars: "All facilities" first. */
export function FacilityField({
  id,
  value,
  facilities,
}: {
  id: string;
  value: string | null | undefined;
  facilities: readonly string[];
}) {
  return (
    <SelectField
      id={id}
      label="Facility"
      name="facility"
      defaultValue={value}
      options={facilities}
      empty="All facilities"
    />
  );
}
