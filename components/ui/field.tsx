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

/**
 * How a labelled control is labelled and drawn: its `id` (the label's `htmlFor`), label and error
 * (while there is one, the control is `aria-invalid` with a red border),
 * the classes of the label's wrapper (`className`) and the control's own extra ones (`width`).
 * `muted`: the control's text keeps its label's grey (the bulk action bar's) instead of the ink of
 * the other forms.
 */
interface Labelling {
  id: string;
  label: React.ReactNode;
  error?: string | null;
  className?: string;
  width?: string;
  muted?: boolean;
}

/**
 * A control inside its label's wrapper: `draw` gets the attributes the control was given (all but
 * the labelling) with its id, `aria-invalid` and classes.
 */
function labelled<A>(
  { id, label, error, className, width, muted, ...attributes }: Labelling & A,
  draw: (
    control: Omit<A, keyof Labelling> & { id: string; 'aria-invalid'?: true; className: string },
  ) => React.ReactNode,
) {
  const border = error ? 'border-red-500' : 'border-slate-300';
  const ink = muted ? '' : 'text-slate-900';
  const control = {
    ...attributes,
    id,
    'aria-invalid': error ? (true as const) : undefined,
    className: ['mt-0.5 rounded border px-2 py-1 text-sm', width, border, ink].filter(Boolean).join(' '),
  };
  return (
    <Labelled id={id} label={label} error={error} className={className}>
      {draw(control)}
    </Labelled>
  );
}

type Attributes<E> = Omit<E, 'id' | 'className' | 'list' | 'children'>;

/**
 * An input with its label (and error); with `suggestions`, a datalist of them (id `${id}-options`)
 * that the input offers.
 */
export function LabelledInput({
  suggestions,
  ...props
}: Labelling & { suggestions?: readonly string[] } & Attributes<React.InputHTMLAttributes<HTMLInputElement>>) {
  const list = suggestions ? `${props.id}-options` : undefined;
  return labelled(props, (input) => (
    <>
      <input {...input} list={list} />
      {suggestions ? (
        <datalist id={list}>
          {suggestions.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
      ) : null}
    </>
  ));
}

/** A controlled control's value, and its change handler setting the state it comes from. */
export const bound = <T extends string>(value: T, set: (value: T) => void) => ({
  value,
  onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => set(e.target.value as T),
});

/** A select with its label (and error): `empty` labels a first, empty option, then come `options`. */
export function LabelledSelect({
  options,
  empty,
  ...props
}: Labelling & { options: readonly FieldOption[]; empty?: string } & Attributes<
    React.SelectHTMLAttributes<HTMLSelectElement>
  >) {
  return labelled(props, (select) => (
    <select {...select}>
      {empty !== undefined ? <option value="">{empty}</option> : null}
      <Options options={options} />
    </select>
  ));
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
  defaultValue,
  ...select
}: {
  id: string;
  label: string;
  name: string;
  defaultValue?: string | null;
  options: readonly FieldOption[];
  /** The label of a first, empty option ("Any"); none when left out. */
  empty?: string;
}) {
  return <LabelledSelect {...select} defaultValue={defaultValue ?? ''} />;
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
  defaultValue,
  type = 'text',
  width = 'w-32',
  ...input
}: {
  id: string;
  label: string;
  name: string;
  defaultValue?: string | null;
  type?: 'text' | 'search';
  width?: string;
  placeholder?: string;
}) {
  return <LabelledInput {...input} type={type} width={width} defaultValue={defaultValue ?? ''} />;
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
