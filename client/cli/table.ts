/** Plain-text tables for the command line: a header row, aligned columns, no decoration. */

/** Renders `rows` under `columns` (keys of the rows, in order), padding each column to its widest cell. */
export function renderTable<Row extends Record<string, string>>(rows: readonly Row[], columns: readonly (keyof Row & string)[]): string {
  const width = (s: string) => Array.from(s).length;
  const widths = columns.map((c) => Math.max(width(c), ...rows.map((r) => width(r[c] ?? ""))));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - width(cell)))).join("  ").trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => r[c] ?? "")))].join("\n");
}
